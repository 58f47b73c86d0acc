import "server-only";
import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { assertOutputsWithinPlan } from "@/features/billing/server/plan-limits";
import { readPlanState } from "@/features/billing/server/subscriptions";
import { fitInputToSide } from "./fit-input";
import { retentionDeadline } from "@/features/billing/server/retention";
import { resolveHold } from "@/features/credits/server/holds";
import { findGenerator } from "@/features/generators/server/registry";
import { stepsOf } from "@/features/generators/types";
import { PipelineCanceled, runPipeline, type PipelineResult, type ProviderCall } from "@/engine/pipeline";
import { isProviderError } from "@/engine/providers/errors";
import { loadProviderDirectory } from "@/features/providers/server/load-directory";
import type { ToolOutput } from "@/engine/tools/types";
import { assets, jobs, providerCalls, type JobError } from "@/server/db/schema";
import { retryTransaction } from "@/server/db/retry-transaction";
import type { Db, DbOrTx } from "@/server/db/types";
import type { Env } from "@/server/env";
import { isAppError } from "@/server/errors";
import type { Storage } from "@/server/storage/types";
import type { JobEvents } from "./job-events";
import { assetIdsOf } from "./submit-job";

export type JobRunnerDeps = {
  db: Db;
  env: Env;
  storage: Storage;
  events: JobEvents;
  log: (msg: string, extra?: object) => void;
  /** How often a running job checks whether it was canceled. */
  cancelPollMs?: number;
};
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

  const calls: ProviderCall[] = [];
  const cancel = watchForCancel(deps, jobId);
  try {
    const generator = findGenerator(job.generator);
    if (!generator) throw new Error(`generator ${job.generator} is not registered`);
    const allowed = new Set(assetIdsOf(job.inputs, generator.assetInputs));
    const { plan } = await readPlanState(deps.db, job.accountId);
    const loadAsset = async (assetId: string) => {
      // Tools may only read the assets the job was accepted with (ownership was checked then).
      if (!allowed.has(assetId)) throw new Error(`asset ${assetId} is not an input of this job`);
      return fitInputToSide(await loadAssetBytes(deps, job.accountId, assetId), plan.limits.maxSide);
    };
    const imageId = generator.imageInput ? job.inputs[generator.imageInput] : undefined;
    const result = await runPipeline(stepsOf(generator, job.inputs), {
      image: typeof imageId === "string" ? await loadAsset(imageId) : undefined,
      inputs: job.inputs,
      directory: await loadProviderDirectory({ env: deps.env, db: deps.db }),
      loadAsset,
      onProgress: async (percent) => {
        // The progress write only lands on a running job: when it does not, the job was canceled.
        if (!(await setProgress(deps, jobId, percent))) cancel.abort();
      },
      signal: cancel.signal,
      savedTask: job.providerTask ?? undefined,
      saveTask: (task) => saveProviderTask(deps, jobId, task),
      retry: { attemptsPerProvider: deps.env.PROVIDER_ATTEMPTS, baseDelayMs: deps.env.PROVIDER_RETRY_DELAY_MS },
      fetchLimits: { maxBytes: deps.env.REMOTE_FETCH_MAX_BYTES, timeoutMs: deps.env.REMOTE_FETCH_TIMEOUT_SECONDS * 1000 },
      calls,
    });
    await completeJob(deps, job, result);
  } catch (error) {
    if (error instanceof PipelineCanceled || cancel.signal.aborted) {
      await recordCalls(deps.db, jobId, job.attempts, calls);
      return; // canceled: the cancel already released the hold
    }
    const jobError = toJobError(error);
    const final = attempt.retryCount >= attempt.retryLimit || isAppError(error);
    deps.log("job attempt failed", { jobId, attempt: attempt.retryCount, final, error: jobError });
    await recordCalls(deps.db, jobId, job.attempts, calls);
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
  } finally {
    cancel.stop();
  }
}

/**
 * Aborts the run when the job is canceled (any process may cancel). Progress writes notice it at
 * once; this poll covers a provider call that reports no progress for a while.
 */
function watchForCancel(deps: JobRunnerDeps, jobId: string) {
  const controller = new AbortController();
  const check = async () => {
    const [row] = await deps.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId));
    if (row?.status === "canceled") controller.abort();
  };
  const timer = setInterval(() => void check().catch(() => undefined), deps.cancelPollMs ?? 2000);
  return {
    signal: controller.signal,
    abort: () => controller.abort(),
    stop: () => clearInterval(timer),
  };
}

async function saveProviderTask(deps: JobRunnerDeps, jobId: string, task: NonNullable<JobRow["providerTask"]>) {
  await deps.db.update(jobs).set({ providerTask: task, updatedAt: new Date() }).where(eq(jobs.id, jobId));
}

async function recordCalls(db: DbOrTx, jobId: string, attempt: number, calls: ProviderCall[]) {
  if (calls.length === 0) return;
  await db.insert(providerCalls).values(
    calls.map((call, callIndex) => ({
      jobId,
      attempt,
      callIndex,
      step: call.step,
      capability: call.capability,
      provider: call.provider,
      model: call.model,
      outcome: call.outcome,
      failure: call.failure,
      message: call.message,
      latencyMs: call.latencyMs,
      costMicros: call.costMicros,
    })),
  );
}

async function loadAssetBytes(deps: JobRunnerDeps, accountId: string, assetId: string): Promise<Buffer> {
  const [asset] = await deps.db
    .select({ storageKey: assets.storageKey })
    .from(assets)
    .where(and(eq(assets.id, assetId), eq(assets.accountId, accountId)));
  if (!asset) throw new Error("input asset is gone");
  return deps.storage.get(asset.storageKey);
}

/** Returns false when the job is no longer running (canceled, or settled by another attempt). */
async function setProgress(deps: JobRunnerDeps, jobId: string, progress: number): Promise<boolean> {
  const updated = await deps.db
    .update(jobs)
    .set({ progress, updatedAt: new Date() })
    .where(and(eq(jobs.id, jobId), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  deps.events.notify(jobId);
  return updated.length > 0;
}

type JobRow = typeof jobs.$inferSelect;

async function completeJob(deps: JobRunnerDeps, job: JobRow, { outputs, provider, model, costMicros, calls, meta }: PipelineResult) {
  // The last line for the plan's size: outputs the inputs could not foretell, or a plan changed since.
  await assertOutputsWithinPlan({ db: deps.db, accountId: job.accountId, outputs: outputs.map(({ width, height }) => ({ width, height })) });
  const stored: { index: number; storageKey: string; output: ToolOutput }[] = [];
  for (const [index, output] of outputs.entries()) {
    const storageKey = `outputs/${job.id}/${index}.${output.ext}`;
    await deps.storage.put(storageKey, output.data, output.mime);
    stored.push({ index, storageKey, output });
  }
  const retentionUntil = await retentionDeadline({ db: deps.db, accountId: job.accountId });
  await retryTransaction(deps.db, async (tx) => {
    const [done] = await tx
      .update(jobs)
      .set({
        status: "succeeded",
        progress: 100,
        provider,
        model,
        providerCostMicros: costMicros,
        providerLatencyMs: calls.reduce((sum, call) => sum + call.latencyMs, 0),
        providerCalls: calls.length,
        result: meta,
        error: null,
        finishedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(eq(jobs.id, job.id), eq(jobs.status, "running")))
      .returning({ id: jobs.id });
    if (!done) return; // another attempt, a cancel or the dead-letter handler got there first
    await recordCalls(tx, job.id, job.attempts, calls);
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
          // A vendor's video may come without its frame size: unknown, not zero.
          width: output.width || null,
          height: output.height || null,
          sha256: createHash("sha256").update(output.data).digest("hex"),
          jobId: job.id,
          outputIndex: index,
          retentionUntil,
        })),
      )
      .onConflictDoNothing();
    await resolveHold(tx, { jobId: job.id, resolution: "captured" });
  });
  deps.events.notify(job.id);
}

/** Final failure: mark failed and give the credits back, in one transaction, at most once. */
export async function failJob(deps: Pick<JobRunnerDeps, "db" | "events">, jobId: string, error: JobError) {
  await retryTransaction(deps.db, async (tx) => {
    const [failed] = await tx
      .update(jobs)
      .set({ status: "failed", error, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(jobs.id, jobId), inArray(jobs.status, active)))
      .returning({ id: jobs.id });
    if (failed) await resolveHold(tx, { jobId, resolution: "released" });
  });
  deps.events.notify(jobId);
}

function toJobError(error: unknown): JobError {
  if (isAppError(error)) return { code: error.code, message: error.message, params: error.params };
  if (isProviderError(error)) return { code: "provider_unavailable", message: error.message };
  return { code: "job_failed", message: error instanceof Error ? error.message : String(error) };
}
