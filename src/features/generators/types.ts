import type { z } from "zod";
import type { PipelineStep } from "@/engine/pipeline";

export type GeneratorCategory = "basics" | "magic-studio" | "generators";

/**
 * One entry of the catalog. Its Zod schema is the form, the API contract and the validation.
 * Title and help are message keys (`generators.<id>.title` / `.description`) in src/messages.
 */
export type GeneratorDefinition = {
  id: string;
  category: GeneratorCategory;
  price: number;
  mode: "sync" | "async";
  inputSchema: z.ZodObject;
  /** The input field holding the asset the pipeline starts from (none: steps load assets). */
  imageInput?: string;
  /** Every input field that holds asset ids (a string or an array of them); checked for ownership. */
  assetInputs: string[];
  steps: PipelineStep[];
};
