import "server-only";
import { asc, inArray, lt } from "drizzle-orm";
import { z } from "zod";
import type { Clock, Ctx } from "@/server/context";
import { assets } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import { defineQueue, type QueueRunner } from "@/server/queue/registry";
import type { Storage } from "@/server/storage/types";

/** The queue of the sweep (its cron sends an empty payload), and when it runs: hourly, at minute 0. */
export const sweepRetentionQueue = defineQueue({ name: "sweep-retention", payload: z.object({}) });
const sweepRetentionCron = "0 * * * *";
const sweepBatchSize = 500;

/**
 * Deletes assets whose retention deadline has passed, a batch at a time: storage objects first (a
 * missing one is fine), then the rows, in one transaction per batch. `SKIP LOCKED` lets sweeps on
 * several workers run at once, each row deleted by exactly one of them; a failed storage delete
 * rolls the batch back for the next run. Returns how many assets this call deleted.
 */
export async function sweepExpiredAssets({
  ctx,
  input = {},
}: {
  ctx: Ctx;
  input?: { batchSize?: number };
}): Promise<number> {
  const { db, storage, clock } = ctx.services;
  return deleteExpiredAssets({ db, storage, clock }, input.batchSize ?? sweepBatchSize);
}

async function deleteExpiredAssets(
  { db, storage, clock }: { db: Db; storage: Storage; clock: Clock },
  batchSize: number,
) {
  let deleted = 0;
  for (;;) {
    // Each batch is its own transaction on the root database, whatever ctx.db is.
    const batch = await db.transaction(async (tx) => {
      const expired = await tx
        .select({ id: assets.id, storageKey: assets.storageKey })
        .from(assets)
        .where(lt(assets.retentionUntil, clock.now()))
        .orderBy(asc(assets.retentionUntil))
        .limit(batchSize)
        .for("update", { skipLocked: true });
      if (expired.length === 0) return 0;
      for (const { id, storageKey } of expired) {
        await storage.delete(storageKey);
        // Its cached /i/ renders (derived/<asset>/…) go with it.
        await storage.deletePrefix(`derived/${id}`);
      }
      await tx.delete(assets).where(
        inArray(
          assets.id,
          expired.map((row) => row.id),
        ),
      );
      return expired.length;
    });
    deleted += batch;
    if (batch < batchSize) return deleted;
  }
}

/**
 * Runs the sweep hourly on the worker processes (embedded: the web process). pg-boss's cron sends
 * one run per tick whatever the number of workers; the sweep is safe to overlap anyway.
 */
export async function startExpiredAssetSweep({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { queues: QueueRunner; pollingIntervalSeconds: number };
}): Promise<void> {
  const { queues, pollingIntervalSeconds } = input;
  await queues.declare(sweepRetentionQueue);
  await queues.schedule(sweepRetentionQueue, sweepRetentionCron, {});
  await queues.work(sweepRetentionQueue, { pollingIntervalSeconds }, async () => {
    const deleted = await sweepExpiredAssets({ ctx });
    if (deleted > 0) ctx.services.logger.warn({ deleted }, "retention sweep deleted assets");
  });
}
