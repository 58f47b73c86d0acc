import type { GeneratorDefinition } from "@/features/generators/types";

export const documentsGenerators: GeneratorDefinition[] = [];
