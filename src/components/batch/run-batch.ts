import { ApiError, newIdempotencyKey, startJob } from "../api/client";
import type { Asset, Generator, Job, JobOutput } from "../api/types";
import { waitForJobEnd } from "../dashboard/use-job-updates";

export type BatchStep = { key: number; generator: Generator; inputs: Record<string, unknown> };

export type ImageRun = {
  status: "waiting" | "running" | "succeeded" | "failed";
  /** The step running now (or the one that failed). */
  step: number;
  /** Over all steps, 0-100. */
  progress: number;
  output: JobOutput | null;
  error: string | null;
};

export const waitingRun: ImageRun = { status: "waiting", step: 0, progress: 0, output: null, error: null };

/**
 * Images processed at the same time. Each one in flight holds an event stream, and browsers give a
 * host only six HTTP/1.1 connections; three leaves room for everything else.
 */
const concurrency = 3;

/** Starts a job; a network error or a busy server is retried with the same key, so it starts once. */
async function startWithRetry(generator: string, inputs: Record<string, unknown>): Promise<Job> {
  const key = newIdempotencyKey();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startJob(generator, inputs, key);
    } catch (error) {
      const retryable = error instanceof ApiError && (error.status === 0 || error.status === 503);
      if (!retryable || attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 2000));
    }
  }
}

type Reporter = (patch: Partial<ImageRun>) => void;

/** One image through every step, each a job on the previous step's output; the first failure ends it. */
async function runImage(
  image: Asset,
  steps: BatchStep[],
  report: Reporter,
  errorMessage: (error: unknown) => string,
): Promise<void> {
  let assetId = image.id;
  let output: JobOutput | null = null;
  for (const [index, step] of steps.entries()) {
    const share = (progress: number) => Math.round(((index + progress / 100) / steps.length) * 100);
    report({ status: "running", step: index, progress: share(0) });
    let job: Job;
    try {
      job = await startWithRetry(step.generator.id, { ...step.inputs, image: assetId });
    } catch (error) {
      return report({ status: "failed", error: errorMessage(error) });
    }
    job = await waitForJobEnd(job, (next) => report({ progress: share(next.progress) }));
    output = job.outputs[0] ?? null;
    if (job.status !== "succeeded" || !output)
      return report({ status: "failed", error: job.error?.message ?? errorMessage(null) });
    assetId = output.assetId;
  }
  report({ status: "succeeded", progress: 100, output });
}

/** Runs every image (a few at a time); one image's failure does not stop the others. */
export async function runBatch(
  images: Asset[],
  steps: BatchStep[],
  report: (imageId: string, patch: Partial<ImageRun>) => void,
  errorMessage: (error: unknown) => string,
): Promise<void> {
  const queue = [...images];
  const worker = async () => {
    for (let image = queue.shift(); image; image = queue.shift()) {
      const id = image.id;
      await runImage(image, steps, (patch) => report(id, patch), errorMessage);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, images.length) }, worker));
}
