import type { TestUser } from "./client";

export type JobBody = {
  id: string;
  status: string;
  progress: number;
  attempts: number;
  error: { code: string; message: string } | null;
  outputs: { assetId: string; url: string; width: number; height: number }[];
};

/** Polls the job until it ends (or the time is up). */
export async function waitForJob(user: TestUser, jobId: string, timeoutMs = 30_000): Promise<JobBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await user.json<{ job: JobBody }>(`/api/v1/jobs/${jobId}`);
    if (["succeeded", "failed", "canceled"].includes(body.job.status)) return body.job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${body.job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
