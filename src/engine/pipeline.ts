import { AppError } from "@/server/errors";
import { sharp } from "./sharp";
import { fetchRemote } from "@/engine/providers/safe-fetch";
import type { Candidate, ProviderDirectory } from "./providers/directory";
import { checkStepOptions } from "./providers/check-options";
import { isProviderError, ProviderError } from "./providers/errors";
import type { Capability } from "./providers/capabilities";
import type { ToolContext } from "./providers/types";
import type { ToolOutput } from "./tools/types";

export type PipelineStep = {
  capability: Capability;
  /** Providers to try first, in this order; the others serving the capability follow in the admin's order. */
  prefer?: string[];
  /** The input naming a model family (e.g. text-to-image's `model`): only providers offering it run. */
  modelInput?: string;
  /** The capability's options from the job's inputs (and the size of the image the step gets). */
  options: (inputs: Record<string, unknown>, image?: { width: number; height: number }) => Record<string, unknown>;
  /** Time limit of one provider call; the job fails with tool_timeout past it. */
  timeoutSeconds?: number;
};

/** One call to one provider, kept for the admin's cost and margin view. */
export type ProviderCall = {
  step: number;
  capability: Capability;
  provider: string;
  model: string | null;
  outcome: "succeeded" | "failed";
  failure: string | null;
  message: string | null;
  latencyMs: number;
  costMicros: number;
};

export type PipelineResult = {
  outputs: ToolOutput[];
  /** The provider and model of the last step: what made the result. */
  provider: string;
  model: string | null;
  costMicros: number;
  calls: ProviderCall[];
  meta: Record<string, unknown>;
};

export type SavedTask = { step: number; provider: string; state: Record<string, unknown> };

export type PipelineInput = {
  image: Buffer | undefined;
  inputs: Record<string, unknown>;
  directory: ProviderDirectory;
  loadAsset: ToolContext["loadAsset"];
  onProgress: (percent: number) => Promise<void>;
  /** Aborted when the job is canceled. */
  signal?: AbortSignal;
  /** A long vendor task started by an earlier attempt, and how to save a new one. */
  savedTask?: SavedTask;
  saveTask?: (task: SavedTask) => Promise<void>;
  retry?: { attemptsPerProvider: number; baseDelayMs: number };
  /** Receives every provider call as it ends, so calls of a failed run are kept too. */
  calls?: ProviderCall[];
  fetchLimits?: { maxBytes: number; timeoutMs: number };
};

/** The job was canceled while it ran: nothing more to do, nothing to store. */
export class PipelineCanceled extends Error {}

class StepTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`timed out after ${seconds} s`);
  }
}

const defaultStepTimeoutSeconds = 240;
const defaultFetchLimits = { maxBytes: 100 * 1024 * 1024, timeoutMs: 120_000 };

/**
 * Runs the steps in order, each on the previous step's first image; the last step's outputs are the
 * result. Each step tries its candidate providers in order: a retriable failure is retried with
 * backoff and then handed to the next provider; a user error (blocked, rejected) ends the job.
 */
export async function runPipeline(steps: PipelineStep[], input: PipelineInput): Promise<PipelineResult> {
  if (steps.length === 0) throw new Error("a pipeline needs at least one step");
  let image = input.image;
  const calls = input.calls ?? [];
  const tasks = { latest: input.savedTask };
  const meta: Record<string, unknown> = {};
  let last: { outputs: ToolOutput[]; candidate: Candidate } | undefined;
  for (const [index, step] of steps.entries()) {
    const progress = async (fraction: number) =>
      input.onProgress(Math.round(((index + Math.min(1, Math.max(0, fraction))) / steps.length) * 95));
    await progress(0);
    last = await runStep(index, step, image, input, progress, calls, tasks);
    for (const output of last.outputs) Object.assign(meta, output.meta);
    image = last.outputs[0]!.data;
  }
  return {
    outputs: last!.outputs,
    provider: last!.candidate.providerId,
    model: last!.candidate.offer?.id ?? null,
    costMicros: calls.reduce((sum, call) => sum + call.costMicros, 0),
    calls,
    meta,
  };
}

async function runStep(
  index: number,
  step: PipelineStep,
  image: Buffer | undefined,
  input: PipelineInput,
  reportProgress: (fraction: number) => Promise<void>,
  calls: ProviderCall[],
  tasks: { latest: SavedTask | undefined },
) {
  const family = step.modelInput ? (input.inputs[step.modelInput] as string | undefined) : undefined;
  const candidates = input.directory.candidates(step.capability, { prefer: step.prefer, family });
  if (candidates.length === 0) {
    throw new AppError("provider_not_configured", {
      params: { keys: input.directory.requirements(step.capability, family).join(", ") },
    });
  }
  const options = step.options(input.inputs, image && step.options.length > 1 ? await sizeOf(image) : undefined);

  const retry = input.retry ?? { attemptsPerProvider: 2, baseDelayMs: 1000 };
  let lastError: unknown;
  for (const candidate of candidates) {
    for (let attempt = 1; attempt <= retry.attemptsPerProvider; attempt++) {
      throwIfCanceled(input.signal);
      const started = performance.now();
      let usage: { units?: number; costMicros?: number } = {};
      try {
        checkStepOptions(candidate.provider, step.capability, options);
        const result = await withTimeout(step.timeoutSeconds ?? defaultStepTimeoutSeconds, input.signal, (signal) =>
          candidate.provider.capabilities[step.capability]!(image, options, {
            loadAsset: input.loadAsset,
            signal,
            reportProgress,
            model: candidate.offer,
            family,
            fetchResult: (url) =>
              fetchRemote(url, {
                ...(input.fetchLimits ?? defaultFetchLimits),
                trustedOrigins: trustedOriginsOf(candidate),
                signal,
              }),
            recordUsage: (u) => {
              usage = { ...usage, ...u };
            },
            task: {
              saved:
                tasks.latest?.step === index && tasks.latest.provider === candidate.providerId
                  ? tasks.latest.state
                  : undefined,
              save: async (state) => {
                // Kept for this run too: a retry of the same provider polls the task it already paid for.
                tasks.latest = { step: index, provider: candidate.providerId, state };
                await input.saveTask?.(tasks.latest);
              },
            },
          }),
        );
        const outputs = Array.isArray(result) ? result : [result];
        if (outputs.length === 0) throw new ProviderError("malformed", `${step.capability} returned no output`);
        calls.push(
          callRecord(index, step, candidate, started, "succeeded", undefined, costOf(candidate, outputs, usage)),
        );
        return { outputs, candidate };
      } catch (thrown) {
        if (input.signal?.aborted) {
          // Kept on record: the admin sees the call that a cancel cut short.
          calls.push(callRecord(index, step, candidate, started, "failed", new PipelineCanceled("canceled"), 0));
          throw new PipelineCanceled("the job was canceled");
        }
        // A vendor that is too slow is like one that is down; a local tool that is too slow is final.
        const error =
          thrown instanceof StepTimeout
            ? candidate.remote
              ? new ProviderError("retriable", `timed out after ${thrown.seconds} s`)
              : new AppError("tool_timeout", { params: { seconds: thrown.seconds } })
            : withoutSecrets(thrown, candidate.secrets);
        calls.push(callRecord(index, step, candidate, started, "failed", error, 0));
        lastError = error;
        // Local tools and our own bugs throw plain errors: the job's retry handles those.
        if (!isProviderError(error)) throw error;
        if (error.failure === "blocked")
          throw new AppError("content_blocked", { message: error.message, cause: error });
        if (error.failure === "rejected") {
          throw new AppError("provider_rejected", {
            message: error.message,
            params: { provider: candidate.providerId },
            cause: error,
          });
        }
        if (error.failure !== "retriable") break; // misconfigured or malformed: the next provider
        if (attempt < retry.attemptsPerProvider)
          await sleep(backoffMs(retry.baseDelayMs, attempt, error), input.signal);
      }
    }
  }
  throw lastError;
}

function callRecord(
  step: number,
  pipelineStep: PipelineStep,
  candidate: Candidate,
  started: number,
  outcome: ProviderCall["outcome"],
  error: unknown,
  costMicros: number,
): ProviderCall {
  return {
    step,
    capability: pipelineStep.capability,
    provider: candidate.providerId,
    model: candidate.offer?.id ?? null,
    outcome,
    failure:
      error === undefined
        ? null
        : isProviderError(error)
          ? error.failure
          : error instanceof AppError
            ? error.code
            : error instanceof PipelineCanceled
              ? "canceled"
              : "error",
    message:
      error === undefined ? null : error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
    latencyMs: Math.round(performance.now() - started),
    costMicros,
  };
}

/** What the call cost the operator: the adapter's figure if it reported one, else its price table. */
function costOf(candidate: Candidate, outputs: ToolOutput[], usage: { units?: number; costMicros?: number }): number {
  if (usage.costMicros !== undefined) return Math.round(usage.costMicros);
  const offer = candidate.offer;
  if (!offer) return 0;
  const units =
    usage.units ??
    (offer.unit === "image"
      ? outputs.length
      : offer.unit === "second"
        ? Number(outputs[0]?.meta?.durationSeconds ?? 0)
        : 1);
  return Math.round(offer.costMicros * units);
}

/**
 * Vendors sometimes quote the key they were sent ("Incorrect API key provided: sk-…"). Their
 * messages reach the job's error, the log and the admin's call records, so the key comes out first.
 */
export function withoutSecrets(error: unknown, secrets: string[]): unknown {
  if (!isProviderError(error) || secrets.length === 0) return error;
  let message = error.message;
  for (const secret of secrets) if (secret.length >= 4) message = message.split(secret).join("••••");
  if (message === error.message) return error;
  return new ProviderError(error.failure, message, {
    status: error.status,
    retryAfterSeconds: error.retryAfterSeconds,
  });
}

async function sizeOf(image: Buffer): Promise<{ width: number; height: number }> {
  const { width, height, orientation } = await sharp(image).metadata();
  // EXIF orientations 5-8 swap the sides once the image is turned upright.
  return orientation && orientation >= 5 ? { width: height, height: width } : { width, height };
}

function trustedOriginsOf(candidate: Candidate): string[] {
  const origins: string[] = [];
  for (const value of Object.values(candidate.config)) {
    if (!value || !/^https?:\/\//.test(value)) continue;
    try {
      origins.push(new URL(value).origin);
    } catch {
      // not a URL setting
    }
  }
  return origins;
}

function backoffMs(baseDelayMs: number, attempt: number, error: ProviderError): number {
  const hinted = error.retryAfterSeconds !== undefined ? Math.min(error.retryAfterSeconds, 30) * 1000 : 0;
  const jitter = Math.random() * baseDelayMs * 0.25;
  return Math.max(hinted, baseDelayMs * 2 ** (attempt - 1) + jitter);
}

function throwIfCanceled(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new PipelineCanceled("the job was canceled");
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

async function withTimeout<T>(
  seconds: number,
  cancel: AbortSignal | undefined,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onCancel = () => controller.abort();
  cancel?.addEventListener("abort", onCancel, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new StepTimeout(seconds));
    }, seconds * 1000);
  });
  try {
    return await Promise.race([task(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener("abort", onCancel);
  }
}
