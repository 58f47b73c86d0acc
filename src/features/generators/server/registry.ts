import "server-only";
import { z } from "zod";
import { generators as catalog } from "@/catalog/generators";
import type { ProviderDirectory } from "@/engine/providers/directory";
import type { Ctx } from "@/server/context";
import { translate } from "@/server/i18n";
import type { GeneratorDefinition } from "@/catalog/generator-definition";
import { availabilityOf } from "./availability";
import { localizeSchema } from "./field-labels";

const registry = new Map<string, GeneratorDefinition>(catalog.map((g) => [g.id, g]));

export function findGenerator(id: string): GeneratorDefinition | undefined {
  return registry.get(id);
}

/**
 * For generators that are not in the catalog: tests' failing tools, and later plugins. Returns the
 * undo (what was there before comes back), so a test file leaves the registry as it found it.
 */
export function registerGenerator(definition: GeneratorDefinition): () => void {
  const previous = registry.get(definition.id);
  registry.set(definition.id, definition);
  return () => {
    if (previous) registry.set(definition.id, previous);
    else registry.delete(definition.id);
  };
}

/** The catalog as the API lists it: titles, descriptions and input labels in the caller's language. */
export function listGenerators({ ctx, input }: { ctx: Pick<Ctx, "locale">; input: { directory: ProviderDirectory } }) {
  const { directory } = input;
  return catalog.map((g) => ({
    id: g.id,
    title: translate(ctx.locale, `generators.${g.id}.title`),
    description: translate(ctx.locale, `generators.${g.id}.description`),
    category: g.category,
    price: g.price,
    pricing: g.pricing ?? { base: g.price },
    mode: answerModeOf(g),
    ...availabilityOf(g, directory),
    inputSchema: localizeSchema(ctx.locale, g.id, inputJsonSchema(g)),
  }));
}

/**
 * The listing's `mode`, kept for API clients: basics are quick enough to wait for (`?wait=`), the
 * rest run longer. Nothing in the server acts on it; every job is queued the same way.
 */
function answerModeOf(generator: GeneratorDefinition): "sync" | "async" {
  return generator.category === "basics" ? "sync" : "async";
}

/** A generator's inputs as JSON Schema, without labels (see field-labels.ts for those). */
export function inputJsonSchema(generator: GeneratorDefinition) {
  return z.toJSONSchema(generator.inputSchema, { unrepresentable: "any" });
}
