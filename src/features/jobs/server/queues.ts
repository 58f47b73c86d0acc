import "server-only";
import { z } from "zod";
import { defineQueue } from "@/server/queue/registry";

const runPayload = z.object({ jobId: z.uuid() });

/** Receives runs whose last attempt died (process killed, timeout): the job is failed and its hold released. */
export const runJobDeadQueue = defineQueue({
  name: "run-job-dead",
  payload: runPayload,
  options: () => ({ retryLimit: 5, retryBackoff: true }),
});

/** One run of one job. The job row is the truth; the message carries only its id. */
export const runJobQueue = defineQueue({
  name: "run-job",
  payload: runPayload,
  options: (env) => ({
    retryLimit: env.JOB_RETRY_LIMIT,
    retryDelay: env.JOB_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    expireInSeconds: env.JOB_TIMEOUT_SECONDS,
    deadLetter: runJobDeadQueue.name,
  }),
});
