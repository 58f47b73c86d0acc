import { priceOf } from "@/catalog/price-of";
import type { Generator, JsonSchema } from "../api/types";

// The price a button shows is the server's own rule (catalog/price-of.ts) applied to the inputs
// the form holds right now, so what the user reads is what the job will hold.

/** The input that picks a model (text-to-image's `model`), when the server lists which can run. */
export function modelFieldOf(generator: Generator): string | undefined {
  return generator.models ? generator.pricing.byInput?.field : undefined;
}

/** The models of the generator's model input, in the catalog's order. */
export function modelsOf(generator: Generator): string[] {
  const field = modelFieldOf(generator);
  const values = field ? generator.inputSchema.properties?.[field]?.enum : undefined;
  return (values ?? Object.keys(generator.models ?? {})).map(String);
}

/** The model preselected: the first one this server can run (the cheapest come first), else the first. */
export function preselectedModel(generator: Generator): string | undefined {
  const models = modelsOf(generator);
  return models.find((model) => generator.models?.[model]) ?? models[0];
}

/** A field's choices: `enum`, or a union of constants (`5 | 10` becomes anyOf with `const`). */
export function enumValues(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum) return schema.enum;
  const members = schema.anyOf;
  if (members && members.length > 0 && members.every((member) => member.const !== undefined))
    return members.map((m) => m.const);
  return undefined;
}

/** The inputs a fresh form starts with: the schema's defaults, the caller's, the preselected model. */
export function startingInputs(generator: Generator, defaults: Record<string, unknown> = {}): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(generator.inputSchema.properties ?? {})) {
    const value = name in defaults ? defaults[name] : field.default;
    if (value !== undefined) inputs[name] = value;
  }
  const modelField = modelFieldOf(generator);
  const model = preselectedModel(generator);
  if (modelField && model && inputs[modelField] === undefined) inputs[modelField] = model;
  return inputs;
}

export function priceFor(generator: Generator, inputs: Record<string, unknown>): number {
  return priceOf(generator.pricing, inputs);
}

/** Whether the price depends on the inputs (then lists say "from"). */
export function hasVariablePrice(generator: Generator): boolean {
  const { byInput, whenSet, timesInput } = generator.pricing;
  return Boolean(byInput || whenSet || timesInput);
}

/** The least one run can cost here: the cheapest runnable model, one image. */
export function lowestPrice(generator: Generator): number {
  const { base, byInput, whenSet } = generator.pricing;
  const candidates = [whenSet ? Math.min(base, whenSet.price) : base];
  if (byInput) {
    const runnable = Object.entries(byInput.prices).filter(([value]) => generator.models?.[value] !== false);
    const prices = (runnable.length > 0 ? runnable : Object.entries(byInput.prices)).map(([, price]) => price);
    if (prices.length > 0) return Math.min(...prices);
  }
  return Math.min(...candidates);
}
