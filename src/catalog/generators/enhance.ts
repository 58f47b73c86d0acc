import type { GeneratorDefinition } from "@/features/generators/types";

export const enhanceGenerators: GeneratorDefinition[] = [];
