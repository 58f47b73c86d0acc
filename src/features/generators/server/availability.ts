import "server-only";
import type { ProviderDirectory } from "@/engine/providers/directory";
import { stepsOf, type GeneratorDefinition } from "@/catalog/generator-definition";

export type Availability = {
  available: boolean;
  /** Environment variables of which any one would make it available (empty when it is). */
  requires: string[];
  /** For generators with a model choice: which models can run here. */
  models?: Record<string, boolean>;
};

/** Whether every step of a generator has a configured, enabled provider (for the chosen model). */
export function availabilityOf(
  generator: GeneratorDefinition,
  directory: ProviderDirectory,
  inputs: Record<string, unknown> = {},
): Availability {
  const modelInput = stepsOf(generator, inputs).find((step) => step.modelInput)?.modelInput;
  const model = modelInput && typeof inputs[modelInput] === "string" ? (inputs[modelInput] as string) : undefined;
  const requires = new Set<string>();
  let models: Record<string, boolean> | undefined;
  let available = true;
  for (const step of stepsOf(generator, inputs)) {
    const families = step.modelInput ? modelChoices(generator, step.modelInput) : [];
    if (families.length > 0) {
      models = Object.fromEntries(
        families.map((family) => [
          family,
          directory.candidates(step.capability, { prefer: step.prefer, family }).length > 0,
        ]),
      );
    }
    const family = model;
    const runnable = model
      ? directory.candidates(step.capability, { prefer: step.prefer, family }).length > 0
      : families.length > 0
        ? Object.values(models ?? {}).some(Boolean)
        : directory.candidates(step.capability, { prefer: step.prefer }).length > 0;
    if (!runnable) {
      available = false;
      for (const key of directory.requirements(step.capability, family)) requires.add(key);
    }
  }
  return { available, requires: [...requires], ...(models ? { models } : {}) };
}

/** The values of a generator's model input (its Zod enum). */
export function modelChoices(generator: GeneratorDefinition, field: string): string[] {
  const schema = generator.inputSchema.shape[field] as { unwrap?: () => unknown; options?: unknown } | undefined;
  let inner: unknown = schema;
  for (let i = 0; i < 3 && inner && !(inner as { options?: unknown }).options; i++) {
    inner =
      (inner as { unwrap?: () => unknown }).unwrap?.() ?? (inner as { def?: { innerType?: unknown } }).def?.innerType;
  }
  const options = (inner as { options?: unknown } | undefined)?.options;
  return Array.isArray(options) ? options.filter((o): o is string => typeof o === "string") : [];
}

/**
 * Fills in a generator's model input when the caller left it out: the first model, in the
 * catalog's order, that a provider here can run (the cheapest come first), so it is priced right.
 */
export function withDefaultModel(
  generator: GeneratorDefinition,
  directory: ProviderDirectory,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const step = stepsOf(generator, inputs).find((s) => s.modelInput);
  if (!step?.modelInput || inputs[step.modelInput] !== undefined) return inputs;
  const runnable = modelChoices(generator, step.modelInput).find(
    (family) => directory.candidates(step.capability, { prefer: step.prefer, family }).length > 0,
  );
  return runnable ? { ...inputs, [step.modelInput]: runnable } : inputs;
}
