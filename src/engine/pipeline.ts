import { AppError } from "@/server/errors";
import type { ToolOutput } from "./tools/types";
import { getProvider } from "./providers/registry";
import type { ToolContext } from "./providers/types";

export type PipelineStep = {
  capability: string;
  /** Tried in order; the first provider that serves the capability and succeeds wins. */
  providers: string[];
  options: (inputs: Record<string, unknown>) => Record<string, unknown>;
  /** Time limit of this step; the job fails with tool_timeout past it. */
  timeoutSeconds?: number;
};

export type PipelineResult = { outputs: ToolOutput[]; provider: string; meta: Record<string, unknown> };

export type PipelineInput = {
  image: Buffer | undefined;
  inputs: Record<string, unknown>;
  loadAsset: ToolContext["loadAsset"];
  onProgress: (percent: number) => Promise<void>;
};

const defaultStepTimeoutSeconds = 240;

/**
 * Runs the steps in order, each on the previous step's first image; the last step's images are the
 * outputs. Steps that return several images (a calendar's pages) must come last.
 */
export async function runPipeline(steps: PipelineStep[], input: PipelineInput): Promise<PipelineResult> {
  let image = input.image;
  let outputs: ToolOutput[] = [];
  let usedProvider = "local";
  const meta: Record<string, unknown> = {};
  for (const [index, step] of steps.entries()) {
    const progress = async (fraction: number) =>
      input.onProgress(Math.round(((index + Math.min(1, Math.max(0, fraction))) / steps.length) * 95));
    await progress(0);
    const result = await runStep(step, image, step.options(input.inputs), { loadAsset: input.loadAsset, reportProgress: progress });
    outputs = Array.isArray(result.output) ? result.output : [result.output];
    if (outputs.length === 0) throw new Error(`${step.capability} returned no image`);
    for (const output of outputs) Object.assign(meta, output.meta);
    image = outputs[0]!.data;
    usedProvider = result.provider;
  }
  if (steps.length === 0) throw new Error("a pipeline needs at least one step");
  return { outputs, provider: usedProvider, meta };
}

async function runStep(
  step: PipelineStep,
  image: Buffer | undefined,
  options: Record<string, unknown>,
  context: Omit<ToolContext, "signal">,
) {
  let lastError: unknown = new Error(`no provider serves ${step.capability}`);
  for (const providerId of step.providers) {
    const runner = getProvider(providerId)?.capabilities[step.capability];
    if (!runner) continue;
    try {
      const output = await withTimeout(step.timeoutSeconds ?? defaultStepTimeoutSeconds, (signal) =>
        runner(image, options, { ...context, signal }),
      );
      return { output, provider: providerId };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function withTimeout<T>(seconds: number, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new AppError("tool_timeout", { params: { seconds } }));
    }, seconds * 1000);
  });
  try {
    return await Promise.race([task(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
