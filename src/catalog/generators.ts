import type { GeneratorDefinition } from "@/catalog/generator-definition";
import { backgroundGenerators } from "./generators/background";
import { basicGenerators } from "./generators/basics";
import { cropGenerators } from "./generators/crop";
import { documentsGenerators } from "./generators/documents";
import { enhanceGenerators } from "./generators/enhance";
import { generativeGenerators } from "./generators/generative";

/**
 * The one list of generators. Adding a generator = adding an entry to a group file in
 * ./generators (and its title, description and input labels in src/messages: see
 * src/features/generators/server/field-labels.ts; its test lists what is missing).
 */
export const generators: GeneratorDefinition[] = [
  ...basicGenerators,
  ...backgroundGenerators,
  ...cropGenerators,
  ...enhanceGenerators,
  ...documentsGenerators,
  ...generativeGenerators,
];

/** The price of a generator's default inputs, by id (tests and docs name prices this way). */
export function generatorPrice(id: string): number {
  const generator = generators.find((g) => g.id === id);
  if (!generator) throw new Error(`no generator ${id}`);
  return generator.price;
}
