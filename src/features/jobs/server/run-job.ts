import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { assertOutputsWithinPlan } from "@/features/billing/server/plan-limits";
import { readPlanState } from "@/features/billing/server/subscriptions";
import { fitInputToSide } from "./fit-input";
import { insertAssetRows, storeAssetFiles } from "@/features/assets/server/create-asset";
import { resolveHold } from "@/features/credits/server/holds";
import { findGenerator } from "@/features/generators/server/registry";
import { stepsOf } from "@/catalog/generator-definition";
import { PipelineCanceled, runPipeline, type PipelineResult, type ProviderCall } from "@/engine/pipeline";
import { isProviderError } from "@/engine/providers/errors";
import { loadProviderDirectory } from "@/features/providers/server/load-directory";
import type { Ctx } from "@/server/context";
import { assets, jobs, providerCalls, type JobError } from "@/server/db/schema";
import { retryTransaction } from "@/server/db/retry-transaction";
import type { DbOrTx } from "@/server/db/types";
import { isAppError } from "@/server/errors";
import { assetIdsOf } from "./submit-job";

/** One delivery of a run: pg-boss's retry count and limit decide whether a failure is final. */
export type Attempt = { retryCount: number; retryLimit: number };
export type RunJobInput = {
  jobId: string;
  attempt: Attempt;
  /** How often a running job checks whether it was canceled. */
  cancelPollMs?: number;
};

const active = ["queued", "running"] as const;

/**
 * Runs one attempt of a job. Idempotent: a job that already ended is left alone, outputs are
 * written under deterministic keys, and the final transaction only applies to a still-active job.
 * Throws to ask pg-boss for a retry; on the last attempt it fails the job and releases the hold.
 */
export async function runJob({ ctx, input }: { ctx: Ctx; input: RunJobInput }): Promise<void> {
  const { jobId, attempt } = input;
  const { env, events, logger } = ctx.services;
  const [job] = await ctx.db
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
  events.notify(jobId);

  const calls: ProviderCall[] = [];
  const cancel = watchForCancel(ctx, jobId, input.cancelPollMs);
  try {
    const generator = findGenerator(job.generator);
    if (!generator) throw new Error(`generator ${job.generator} is not registered`);
    const allowed = new Set(assetIdsOf(job.inputs, generator.assetInputs));
    const { plan } = await readPlanState({ ctx, input: { accountId: job.accountId } });
    const loadAsset = async (assetId: string) => {
      // Tools may only read the assets the job was accepted with (ownership was checked then).
      if (!allowed.has(assetId)) throw new Error(`asset ${assetId} is not an input of this job`);
      return fitInputToSide(await loadAssetBytes(ctx, job.accountId, assetId), plan.limits.maxSide);
    };
    const imageId = generator.imageInput ? job.inputs[generator.imageInput] : undefined;
    const result = await runPipeline(stepsOf(generator, job.inputs), {
      image: typeof imageId === "string" ? await loadAsset(imageId) : undefined,
      inputs: job.inputs,
      directory: await loadProviderDirectory({ ctx }),
      loadAsset,
      onProgress: async (percent) => {
        // The progress write only lands on a running job: when it does not, the job was canceled.
        if (!(await setProgress(ctx, jobId, percent))) cancel.abort();
      },
      signal: cancel.signal,
      savedTask: job.providerTask ?? undefined,
      saveTask: (task) => saveProviderTask(ctx, jobId, task),
      retry: { attemptsPerProvider: env.PROVIDER_ATTEMPTS, baseDelayMs: env.PROVIDER_RETRY_DELAY_MS },
      fetchLimits: { maxBytes: env.REMOTE_FETCH_MAX_BYTES, timeoutMs: env.REMOTE_FETCH_TIMEOUT_SECONDS * 1000 },
      calls,
    });
    await completeJob(ctx, job, result);
  } catch (error) {
    if (error instanceof PipelineCanceled || cancel.signal.aborted) {
      await recordCalls(ctx.db, jobId, job.attempts, calls);
      return; // canceled: the cancel already released the hold
    }
    const jobError = toJobError(error);
    const final = attempt.retryCount >= attempt.retryLimit || isAppError(error);
    logger.warn({ jobId, attempt: attempt.retryCount, final, error: jobError }, "job attempt failed");
    await recordCalls(ctx.db, jobId, job.attempts, calls);
    if (final) {
      await failJob({ ctx, input: { jobId, error: jobError } });
      return;
    }
    await ctx.db
      .update(jobs)
      .set({ status: "queued", error: jobError, updatedAt: new Date() })
      .where(and(eq(jobs.id, jobId), eq(jobs.status, "running")));
    events.notify(jobId);
    throw error;
  } finally {
    cancel.stop();
  }
}

/**
 * Aborts the run when the job is canceled (any process may cancel). Progress writes notice it at
 * once; this poll covers a provider call that reports no progress for a while.
 */
function watchForCancel(ctx: Ctx, jobId: string, pollMs = 2000) {
  const controller = new AbortController();
  const check = async () => {
    const [row] = await ctx.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId));
    if (row?.status === "canceled") controller.abort();
  };
  const timer = setInterval(() => void check().catch(() => undefined), pollMs);
  return {
    signal: controller.signal,
    abort: () => controller.abort(),
    stop: () => clearInterval(timer),
  };
}

async function saveProviderTask(ctx: Ctx, jobId: string, task: NonNullable<JobRow["providerTask"]>) {
  await ctx.db.update(jobs).set({ providerTask: task, updatedAt: new Date() }).where(eq(jobs.id, jobId));
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

async function loadAssetBytes(ctx: Ctx, accountId: string, assetId: string): Promise<Buffer> {
  const [asset] = await ctx.db
    .select({ storageKey: assets.storageKey })
    .from(assets)
    .where(and(eq(assets.id, assetId), eq(assets.accountId, accountId)));
  if (!asset) throw new Error("input asset is gone");
  return ctx.services.storage.get(asset.storageKey);
}

/** Returns false when the job is no longer running (canceled, or settled by another attempt). */
async function setProgress(ctx: Ctx, jobId: string, progress: number): Promise<boolean> {
  const updated = await ctx.db
    .update(jobs)
    .set({ progress, updatedAt: new Date() })
    .where(and(eq(jobs.id, jobId), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  ctx.services.events.notify(jobId);
  return updated.length > 0;
}

type JobRow = typeof jobs.$inferSelect;

async function completeJob(
  ctx: Ctx,
  job: JobRow,
  { outputs, provider, model, costMicros, calls, meta }: PipelineResult,
) {
  const { events } = ctx.services;
  // The last line for the plan's size: outputs the inputs could not foretell, or a plan changed since.
  const sizes = outputs.map(({ width, height }) => ({ width, height }));
  await assertOutputsWithinPlan({ ctx, input: { accountId: job.accountId, outputs: sizes } });
  // The outputs are the job's account's: bytes stored now, rows inserted with the job's success.
  const ownerCtx: Ctx = { ...ctx, accountId: job.accountId };
  const files = outputs.map((output, index) => ({
    kind: "output" as const,
    storageKey: `outputs/${job.id}/${index}.${output.ext}`,
    data: output.data,
    mime: output.mime,
    // A vendor's video may come without its frame size: unknown, not zero.
    width: output.width || null,
    height: output.height || null,
    job: { id: job.id, outputIndex: index },
    userId: job.userId,
  }));
  const stored = await storeAssetFiles({ ctx: ownerCtx, input: { files } });
  await retryTransaction(ctx.services.db, async (tx) => {
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
    await insertAssetRows({ ctx: { ...ownerCtx, db: tx }, input: { assets: stored } });
    await resolveHold(tx, { jobId: job.id, resolution: "captured" });
  });
  events.notify(job.id);
}

/** Final failure: mark failed and give the credits back, in one transaction, at most once. */
export async function failJob({ ctx, input }: { ctx: Ctx; input: { jobId: string; error: JobError } }) {
  const { jobId, error } = input;
  await retryTransaction(ctx.services.db, async (tx) => {
    const [failed] = await tx
      .update(jobs)
      .set({ status: "failed", error, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(jobs.id, jobId), inArray(jobs.status, active)))
      .returning({ id: jobs.id });
    if (failed) await resolveHold(tx, { jobId, resolution: "released" });
  });
  ctx.services.events.notify(jobId);
}

function toJobError(error: unknown): JobError {
  if (isAppError(error)) return { code: error.code, message: error.message, params: error.params };
  if (isProviderError(error)) return { code: "provider_unavailable", message: error.message };
  return { code: "job_failed", message: error instanceof Error ? error.message : String(error) };
}
