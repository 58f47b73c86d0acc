import "server-only";
import { startExpiredAssetSweep } from "@/features/assets/server/sweep-expired-assets";
import type { Core } from "@/features/core";
import { startJobWorkers } from "@/features/jobs/server/worker";
import { systemCtx } from "@/server/context";

/**
 * Starts the queue consumers of this process: job runs, their dead letters and the hourly
 * retention sweep. Worker processes call only this (and createCore); the web process too when
 * RUN_WORKER_IN_WEB (embedded mode).
 */
export async function startWorkers(core: Core): Promise<void> {
  const { env, services } = core;
  const pollingIntervalSeconds = env.QUEUE_POLL_SECONDS;
  await startJobWorkers({
    ctx: systemCtx(services, "job-worker"),
    input: { queues: core.queues, concurrency: env.WORKER_CONCURRENCY, pollingIntervalSeconds },
  });
  await startExpiredAssetSweep({
    ctx: systemCtx(services, "retention-sweep"),
    input: { queues: core.queues, pollingIntervalSeconds },
  });
}
