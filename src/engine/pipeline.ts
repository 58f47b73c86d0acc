import type { ToolOutput } from "./tools/types";
import { getProvider } from "./providers/registry";

export type PipelineStep = {
  capability: string;
  /** Tried in order; the first provider that serves the capability and succeeds wins. */
  providers: string[];
  options: (inputs: Record<string, unknown>) => Record<string, unknown>;
};

export type PipelineResult = { outputs: ToolOutput[]; provider: string };

/** Runs the steps in order, each on the previous step's image. Pure apart from the providers. */
export async function runPipeline(
  steps: PipelineStep[],
  input: { image: Buffer; inputs: Record<string, unknown> },
  onStep: (index: number, total: number) => Promise<void>,
): Promise<PipelineResult> {
  let image = input.image;
  let last: ToolOutput | undefined;
  let usedProvider = "local";
  for (const [index, step] of steps.entries()) {
    await onStep(index, steps.length);
    const { output, provider } = await runStep(step, image, step.options(input.inputs));
    last = output;
    image = output.data;
    usedProvider = provider;
  }
  if (!last) throw new Error("a pipeline needs at least one step");
  return { outputs: [last], provider: usedProvider };
}

async function runStep(step: PipelineStep, image: Buffer, options: Record<string, unknown>) {
  let lastError: unknown = new Error(`no provider serves ${step.capability}`);
  for (const providerId of step.providers) {
    const runner = getProvider(providerId)?.capabilities[step.capability];
    if (!runner) continue;
    try {
      return { output: await runner(image, options), provider: providerId };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
