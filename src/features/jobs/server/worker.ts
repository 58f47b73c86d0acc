import "server-only";
import type { Ctx } from "@/server/context";
import type { QueueRunner } from "@/server/queue/registry";
import { runJobDeadQueue, runJobQueue } from "./queues";
import { failJob, runJob } from "./run-job";

/**
 * Starts the job consumers. `concurrency` parallel loops each take one run at a time; the
 * dead-letter consumer settles jobs whose last attempt died (process killed, timeout).
 */
export async function startJobWorkers({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { queues: QueueRunner; concurrency: number; pollingIntervalSeconds: number };
}): Promise<void> {
  const { queues, concurrency, pollingIntervalSeconds } = input;
  for (let i = 0; i < concurrency; i++) {
    await queues.work(runJobQueue, { pollingIntervalSeconds }, async ({ payload, retryCount, retryLimit }) => {
      await runJob({ ctx, input: { jobId: payload.jobId, attempt: { retryCount, retryLimit } } });
    });
  }
  await queues.work(runJobDeadQueue, { pollingIntervalSeconds }, async ({ payload }) => {
    const error = { code: "job_timed_out", message: "the job's last attempt did not finish" };
    await failJob({ ctx, input: { jobId: payload.jobId, error } });
  });
}
