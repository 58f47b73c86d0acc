import "server-only";
import type PgBoss from "pg-boss";
import { startRetentionSweep } from "@/features/billing/server/retention";
import { queues } from "@/server/queue/boss";
import { failJob, runJob, type JobRunnerDeps } from "./run-job";

type RunJobData = { jobId: string };

/**
 * Starts the job consumers. `concurrency` parallel loops each take one run at a time; the
 * dead-letter consumer settles jobs whose last attempt died (process killed, timeout); the
 * retention sweep deletes assets past their plan's deadline, hourly.
 */
export async function startJobWorkers(
  boss: PgBoss,
  deps: JobRunnerDeps,
  options: { concurrency: number; pollingIntervalSeconds: number },
): Promise<void> {
  const workOptions = { batchSize: 1, includeMetadata: true as const, pollingIntervalSeconds: options.pollingIntervalSeconds };
  for (let i = 0; i < options.concurrency; i++) {
    await boss.work<RunJobData>(queues.runJob, workOptions, async ([run]) => {
      if (!run) return;
      await runJob(deps, run.data.jobId, { retryCount: run.retryCount, retryLimit: run.retryLimit });
    });
  }
  await boss.work<RunJobData>(queues.runJobDead, workOptions, async ([run]) => {
    if (!run) return;
    await failJob(deps, run.data.jobId, { code: "job_timed_out", message: "the job's last attempt did not finish" });
  });
  await startRetentionSweep(boss, deps, { pollingIntervalSeconds: options.pollingIntervalSeconds });
}
