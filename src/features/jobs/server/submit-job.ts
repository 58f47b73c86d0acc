import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { z } from "zod";
import { placeHold } from "@/features/credits/server/holds";
import { findGenerator } from "@/features/generators/server/registry";
import { requireAccountId, type Ctx } from "@/server/context";
import { assets, jobs } from "@/server/db/schema";
import { drizzleExecutor } from "@/server/db/raw";
import type { Db } from "@/server/db/types";
import { AppError, notFound } from "@/server/errors";
import { queues } from "@/server/queue/boss";
import { isUniqueViolation, zodFieldErrors } from "@/server/validation";

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
export async function submitJob({
  ctx,
  boss,
  input,
}: {
  ctx: Ctx & { db: Db };
  boss: PgBoss;
  input: SubmitJobInput;
}): Promise<SubmitJobResult> {
  const accountId = requireAccountId(ctx);
  const generator = findGenerator(input.generator);
  if (!generator) throw new AppError("unknown_generator", { params: { generator: input.generator } });

  const parsed = generator.inputSchema.safeParse(input.inputs);
  if (!parsed.success) throw new AppError("validation_failed", { fields: zodFieldErrors(parsed.error, "inputs") });
  const inputs = parsed.data as Record<string, unknown>;
  const requestHash = hashRequest(generator.id, inputs);

  if (input.idempotencyKey) {
    const replay = await findByIdempotencyKey(ctx, accountId, input.idempotencyKey, requestHash);
    if (replay) return { job: replay, replayed: true };
  }
  await assertOwnsAssets(ctx, accountId, assetIdsOf(inputs, generator.assetInputs));

  const jobId = randomUUID();
  try {
    const job = await ctx.db.transaction(async (tx) => {
      // The hold first: it locks the account row, so concurrent submissions queue up here and a
      // refused one (402) stops before writing anything.
      await placeHold(tx, { accountId, jobId, amount: generator.price, generator: generator.id });
      const [row] = await tx
        .insert(jobs)
        .values({
          id: jobId,
          accountId,
          userId: ctx.actor.type === "user" ? ctx.actor.userId : null,
          generator: generator.id,
          inputs,
          price: generator.price,
          idempotencyKey: input.idempotencyKey,
          requestHash,
        })
        .returning();
      // pg-boss writes its row through our transaction: a rollback leaves no queued run behind.
      await boss.send(queues.runJob, { jobId }, { id: jobId, db: drizzleExecutor(tx) });
      return row!;
    });
    return { job, replayed: false };
  } catch (error) {
    // A concurrent request with the same key won the insert: answer with its job.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const replay = await findByIdempotencyKey(ctx, accountId, input.idempotencyKey, requestHash);
      if (replay) return { job: replay, replayed: true };
    }
    throw error;
  }
}

async function findByIdempotencyKey(ctx: Ctx, accountId: string, key: string, requestHash: string) {
  const [existing] = await ctx.db
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

/** Another account's asset is answered like a missing one: 404, nothing revealed. */
async function assertOwnsAssets(ctx: Ctx, accountId: string, assetIds: string[]) {
  if (assetIds.length === 0) return;
  const rows = await ctx.db
    .select({ id: assets.id })
    .from(assets)
    .where(and(inArray(assets.id, assetIds), eq(assets.accountId, accountId)));
  if (rows.length !== assetIds.length) throw notFound();
}

function hashRequest(generator: string, inputs: Record<string, unknown>): string {
  const canonical = JSON.stringify([generator, Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b))]);
  return createHash("sha256").update(canonical).digest("hex");
}
