import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { priceOf } from "@/catalog/price-of";
import { assertJobSlotFree, assertWithinPlan, fitToPlan } from "@/features/billing/server/plan-limits";
import { placeHold } from "@/features/credits/server/holds";
import type { ProviderDirectory } from "@/engine/providers/directory";
import { availabilityOf, withDefaultModel } from "@/features/generators/server/availability";
import type { GeneratorDefinition } from "@/catalog/generator-definition";
import { loadProviderDirectory } from "@/features/providers/server/load-directory";
import { findBlockedTerm, readPromptBlocklist } from "@/features/providers/server/prompt-blocklist";
import { findGenerator } from "@/features/generators/server/registry";
import { requireAccountId, type Ctx } from "@/server/context";
import { accounts, assets, jobs } from "@/server/db/schema";
import { retryTransaction } from "@/server/db/retry-transaction";
import type { DbOrTx, Tx } from "@/server/db/types";
import { AppError, notFound } from "@/server/errors";
import { isUniqueViolation, zodFieldErrors } from "@/server/validation";
import { expectedOutputSize, type ImageSize } from "./expected-output-size";
import { runJobQueue } from "./queues";

export const submitJobInput = z.object({
  generator: z.string().min(1).max(100),
  inputs: z.record(z.string(), z.unknown()).default({}),
});
export type SubmitJobInput = z.infer<typeof submitJobInput> & { idempotencyKey?: string };

export type SubmitJobResult = { job: typeof jobs.$inferSelect; replayed: boolean };

/**
 * Accepts a job: validate, price, then ONE transaction that inserts the job, places the hold and
 * enqueues the run. Either all of it happens or none of it does.
 */
export async function submitJob({ ctx, input }: { ctx: Ctx; input: SubmitJobInput }): Promise<SubmitJobResult> {
  const { env, queue } = ctx.services;
  const accountId = requireAccountId(ctx);
  const generator = findGenerator(input.generator);
  if (!generator) throw new AppError("unknown_generator", { params: { generator: input.generator } });

  const parsed = generator.inputSchema.safeParse(input.inputs);
  if (!parsed.success) throw new AppError("validation_failed", { fields: zodFieldErrors(parsed.error, "inputs") });
  const directory = await loadProviderDirectory({ ctx });
  const inputs = withDefaultModel(generator, directory, parsed.data as Record<string, unknown>);
  const requestHash = hashRequest(generator.id, inputs);

  if (input.idempotencyKey) {
    const replay = await findByIdempotencyKey(ctx.db, accountId, input.idempotencyKey, requestHash);
    if (replay) return { job: replay, replayed: true };
  }
  const sizes = await readOwnedAssetSizes(ctx, accountId, assetIdsOf(inputs, generator.assetInputs));
  await assertPromptsAllowed(ctx, generator, inputs);
  assertProvidersConfigured(directory, generator, inputs);
  const imageId = generator.imageInput ? inputs[generator.imageInput] : undefined;
  const imageSize = typeof imageId === "string" ? sizes.get(imageId) : undefined;
  const plan = await assertWithinPlan({
    ctx,
    input: {
      expectedOutput: (plan) => expectedOutputSize(generator.id, inputs, imageSize && fitToPlan(imageSize, plan)),
    },
  });
  const price = priceOf(generator.pricing ?? { base: generator.price }, inputs);

  const jobId = randomUUID();
  try {
    // Retried on a deadlock or serialization failure: no request ever sees one.
    // Its own transaction on the root database, whatever ctx.db is.
    return await retryTransaction(ctx.services.db, async (tx): Promise<SubmitJobResult> => {
      // The account row first, before anything else is read or written: concurrent submissions of
      // one account queue up here, so the key, the open jobs and the balance they see are current.
      // The worker and cancel lock a job row, then the account; this path never waits on a job row.
      await lockAccount(tx, accountId);
      if (input.idempotencyKey) {
        const replay = await findByIdempotencyKey(tx, accountId, input.idempotencyKey, requestHash);
        if (replay) return { job: replay, replayed: true };
      }
      await assertJobSlotFree({ ctx: { ...ctx, db: tx }, input: { accountId, plan } });
      await placeHold(tx, { accountId, jobId, amount: price, generator: generator.id });
      const [row] = await tx
        .insert(jobs)
        .values({
          id: jobId,
          accountId,
          userId: ctx.actor.type === "user" ? ctx.actor.userId : null,
          generator: generator.id,
          inputs,
          price,
          idempotencyKey: input.idempotencyKey,
          requestHash,
        })
        .returning();
      // pg-boss writes its row through our transaction: a rollback leaves no queued run behind.
      const timeout = generator.jobTimeoutSeconds;
      await queue.send(
        runJobQueue,
        { jobId },
        {
          id: jobId,
          db: tx,
          ...(timeout ? { expireInSeconds: Math.max(timeout, env.JOB_TIMEOUT_SECONDS) } : {}),
        },
      );
      return { job: row!, replayed: false };
    });
  } catch (error) {
    // A concurrent request with the same key won the insert: answer with its job.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const replay = await findByIdempotencyKey(ctx.db, accountId, input.idempotencyKey, requestHash);
      if (replay) return { job: replay, replayed: true };
    }
    throw error;
  }
}

async function lockAccount(tx: Tx, accountId: string) {
  // The same lock mode as the ledger's (see postLedgerEntry): FOR UPDATE would conflict with the
  // key-share locks that inserting rows referencing the account takes.
  const [row] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .for("no key update");
  if (!row) throw notFound();
}

/** The operator's blocklist runs before anything is held or sent to a provider. */
async function assertPromptsAllowed(ctx: Ctx, generator: GeneratorDefinition, inputs: Record<string, unknown>) {
  const texts = (generator.promptInputs ?? [])
    .map((field) => inputs[field])
    .filter((v): v is string => typeof v === "string");
  if (texts.length === 0) return;
  const terms = await readPromptBlocklist({ ctx });
  for (const text of texts) {
    const term = findBlockedTerm(text, terms);
    if (term) throw new AppError("prompt_blocked", { params: { term } });
  }
}

/** A generator whose provider is not set up is refused before any credit is held. */
function assertProvidersConfigured(
  directory: ProviderDirectory,
  generator: GeneratorDefinition,
  inputs: Record<string, unknown>,
) {
  const availability = availabilityOf(generator, directory, inputs);
  if (!availability.available) {
    throw new AppError("provider_not_configured", { params: { keys: availability.requires.join(", ") } });
  }
}

async function findByIdempotencyKey(db: DbOrTx, accountId: string, key: string, requestHash: string) {
  const [existing] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.accountId, accountId), eq(jobs.idempotencyKey, key)));
  if (!existing) return undefined;
  if (existing.requestHash !== requestHash) throw new AppError("idempotency_key_conflict");
  return existing;
}

/** The asset ids named in a job's inputs: fields holding one id or a list of them. */
export function assetIdsOf(inputs: Record<string, unknown>, fields: string[]): string[] {
  const ids = fields.flatMap((field) => {
    const value = inputs[field];
    return Array.isArray(value) ? value : value === undefined ? [] : [value];
  });
  return [...new Set(ids.filter((id): id is string => typeof id === "string"))];
}

/**
 * Another account's asset is answered like a missing one: 404, nothing revealed. Returns the
 * pixel size of each (where known) for the plan's size limit.
 */
async function readOwnedAssetSizes(ctx: Ctx, accountId: string, assetIds: string[]): Promise<Map<string, ImageSize>> {
  const sizes = new Map<string, ImageSize>();
  if (assetIds.length === 0) return sizes;
  const rows = await ctx.db
    .select({ id: assets.id, width: assets.width, height: assets.height })
    .from(assets)
    .where(and(inArray(assets.id, assetIds), eq(assets.accountId, accountId)));
  if (rows.length !== assetIds.length) throw notFound();
  for (const row of rows) if (row.width && row.height) sizes.set(row.id, { width: row.width, height: row.height });
  return sizes;
}

function hashRequest(generator: string, inputs: Record<string, unknown>): string {
  const canonical = JSON.stringify([generator, Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b))]);
  return createHash("sha256").update(canonical).digest("hex");
}
