import type { z } from "zod";
import type { PriceRule } from "@/catalog/price-of";
import type { PipelineStep } from "@/engine/pipeline";

export type GeneratorCategory = "basics" | "magic-studio" | "generators";

/**
 * One entry of the catalog. Its Zod schema is the form, the API contract and the validation.
 * Title and help are message keys (`generators.<id>.title` / `.description`) in src/messages.
 */
export type GeneratorDefinition = {
  id: string;
  category: GeneratorCategory;
  /** Credits for the default inputs; `pricing` says how other inputs change it. */
  price: number;
  pricing?: PriceRule;
  inputSchema: z.ZodObject;
  /** The input field holding the asset the pipeline starts from (none: steps load assets). */
  imageInput?: string;
  /** Every input field that holds asset ids (a string or an array of them); checked for ownership. */
  assetInputs: string[];
  /** The pipeline; a function when an input changes what runs (change-background with a prompt). */
  steps: PipelineStep[] | ((inputs: Record<string, unknown>) => PipelineStep[]);
  /** Inputs holding free text sent to a provider: checked against the prompt blocklist first. */
  promptInputs?: string[];
  /** For long vendor tasks (video): how long one attempt may run before the queue retries it. */
  jobTimeoutSeconds?: number;
};

/** The steps a generator runs for these inputs. */
export function stepsOf(
  generator: Pick<GeneratorDefinition, "steps">,
  inputs: Record<string, unknown>,
): PipelineStep[] {
  return typeof generator.steps === "function" ? generator.steps(inputs) : generator.steps;
}
