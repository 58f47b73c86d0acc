import type { GeneratorDefinition } from "@/features/generators/types";

export const cropGenerators: GeneratorDefinition[] = [];
