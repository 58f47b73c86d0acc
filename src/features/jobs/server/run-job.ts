import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { resolveHold } from "@/features/credits/server/holds";
import { findGenerator } from "@/features/generators/server/registry";
import { runPipeline, type PipelineResult } from "@/engine/pipeline";
import type { ToolOutput } from "@/engine/tools/types";
import { assets, jobs, type JobError } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import { isAppError } from "@/server/errors";
import type { Storage } from "@/server/storage/types";
import type { JobEvents } from "./job-events";
import { assetIdsOf } from "./submit-job";

export type JobRunnerDeps = { db: Db; storage: Storage; events: JobEvents; log: (msg: string, extra?: object) => void };
export type Attempt = { retryCount: number; retryLimit: number };

const active = ["queued", "running"] as const;

/**
 * Runs one attempt of a job. Idempotent: a job that already ended is left alone, outputs are
 * written under deterministic keys, and the final transaction only applies to a still-active job.
 * Throws to ask pg-boss for a retry; on the last attempt it fails the job and releases the hold.
 */
export async function runJob(deps: JobRunnerDeps, jobId: string, attempt: Attempt): Promise<void> {
  const [job] = await deps.db
    .update(jobs)
    .set({
      status: "running",
      attempts: sql`${jobs.attempts} + 1`,
      progress: 0,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      updatedAt: new Date(),
    })
    .where(and(eq(jobs.id, jobId), inArray(jobs.status, active)))
    .returning();
  if (!job) return; // already succeeded, failed or canceled
  deps.events.notify(jobId);

  try {
    const generator = findGenerator(job.generator);
    if (!generator) throw new Error(`generator ${job.generator} is not registered`);
    const allowed = new Set(assetIdsOf(job.inputs, generator.assetInputs));
    const loadAsset = (assetId: string) => {
      // Tools may only read the assets the job was accepted with (ownership was checked then).
      if (!allowed.has(assetId)) throw new Error(`asset ${assetId} is not an input of this job`);
      return loadAssetBytes(deps, job.accountId, assetId);
    };
    const imageId = generator.imageInput ? job.inputs[generator.imageInput] : undefined;
    const result = await runPipeline(generator.steps, {
      image: typeof imageId === "string" ? await loadAsset(imageId) : undefined,
      inputs: job.inputs,
      loadAsset,
      onProgress: (percent) => setProgress(deps, jobId, percent),
    });
    await completeJob(deps, job, result);
  } catch (error) {
    const jobError = toJobError(error);
    const final = attempt.retryCount >= attempt.retryLimit || isAppError(error);
    deps.log("job attempt failed", { jobId, attempt: attempt.retryCount, final, error: jobError });
    if (final) {
      await failJob(deps, jobId, jobError);
      return;
    }
    await deps.db
      .update(jobs)
      .set({ status: "queued", error: jobError, updatedAt: new Date() })
      .where(and(eq(jobs.id, jobId), eq(jobs.status, "running")));
    deps.events.notify(jobId);
    throw error;
  }
}

async function loadAssetBytes(deps: JobRunnerDeps, accountId: string, assetId: string): Promise<Buffer> {
  const [asset] = await deps.db
    .select({ storageKey: assets.storageKey })
    .from(assets)
    .where(and(eq(assets.id, assetId), eq(assets.accountId, accountId)));
  if (!asset) throw new Error("input asset is gone");
  return deps.storage.get(asset.storageKey);
}

async function setProgress(deps: JobRunnerDeps, jobId: string, progress: number) {
  await deps.db
    .update(jobs)
    .set({ progress, updatedAt: new Date() })
    .where(and(eq(jobs.id, jobId), eq(jobs.status, "running")));
  deps.events.notify(jobId);
}

type JobRow = typeof jobs.$inferSelect;

async function completeJob(deps: JobRunnerDeps, job: JobRow, { outputs, provider, meta }: PipelineResult) {
  const stored: { index: number; storageKey: string; output: ToolOutput }[] = [];
  for (const [index, output] of outputs.entries()) {
    const storageKey = `outputs/${job.id}/${index}.${output.ext}`;
    await deps.storage.put(storageKey, output.data, output.mime);
    stored.push({ index, storageKey, output });
  }
  await deps.db.transaction(async (tx) => {
    const [done] = await tx
      .update(jobs)
      .set({ status: "succeeded", progress: 100, provider, result: meta, error: null, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(jobs.id, job.id), eq(jobs.status, "running")))
      .returning({ id: jobs.id });
    if (!done) return; // another attempt or the dead-letter handler got there first
    await tx
      .insert(assets)
      .values(
        stored.map(({ index, storageKey, output }) => ({
          accountId: job.accountId,
          userId: job.userId,
          kind: "output" as const,
          storageKey,
          mime: output.mime,
          bytes: output.data.length,
          width: output.width,
          height: output.height,
          sha256: createHash("sha256").update(output.data).digest("hex"),
          jobId: job.id,
          outputIndex: index,
        })),
      )
      .onConflictDoNothing();
    await resolveHold(tx, job.id, "captured");
  });
  deps.events.notify(job.id);
}

/** Final failure: mark failed and give the credits back, in one transaction, at most once. */
export async function failJob(deps: Pick<JobRunnerDeps, "db" | "events">, jobId: string, error: JobError) {
  await deps.db.transaction(async (tx) => {
    const [failed] = await tx
      .update(jobs)
      .set({ status: "failed", error, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(jobs.id, jobId), inArray(jobs.status, active)))
      .returning({ id: jobs.id });
    if (failed) await resolveHold(tx, jobId, "released");
  });
  deps.events.notify(jobId);
}

function toJobError(error: unknown): JobError {
  if (isAppError(error)) return { code: error.code, message: error.message, params: error.params };
  return { code: "job_failed", message: error instanceof Error ? error.message : String(error) };
}
