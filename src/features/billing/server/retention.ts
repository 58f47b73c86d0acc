import "server-only";
import { asc, inArray, lt } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { assets } from "@/server/db/schema";
import type { Db, DbOrTx } from "@/server/db/types";
import type { Storage } from "@/server/storage/types";
import { readPlanState } from "./subscriptions";

const dayMs = 86_400_000;

/** The pg-boss queue of the sweep, and when it runs: hourly, at minute 0. */
export const sweepRetentionQueue = "sweep-retention";
const sweepCron = "0 * * * *";
const sweepBatchSize = 500;

/**
 * When an asset made now stops being kept: now + the account's current plan's retentionDays (one
 * query). Fixed at creation: a later upgrade does not extend what already exists.
 */
export async function retentionDeadline({ db, accountId }: { db: DbOrTx; accountId: string }): Promise<Date> {
  const { plan } = await readPlanState(db, accountId);
  return new Date(Date.now() + plan.limits.retentionDays * dayMs);
}

/**
 * Deletes assets whose deadline has passed, a batch at a time: storage objects first (a missing one
 * is fine), then the rows, in one transaction per batch. `SKIP LOCKED` lets sweeps on several
 * workers run at once, each row deleted by exactly one of them; a failed storage delete rolls the
 * batch back for the next run. Returns how many assets this call deleted.
 */
export async function sweepExpiredAssets({
  db,
  storage,
  batchSize = sweepBatchSize,
}: {
  db: Db;
  storage: Storage;
  batchSize?: number;
}): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const expired = await tx
        .select({ id: assets.id, storageKey: assets.storageKey })
        .from(assets)
        .where(lt(assets.retentionUntil, new Date()))
        .orderBy(asc(assets.retentionUntil))
        .limit(batchSize)
        .for("update", { skipLocked: true });
      if (expired.length === 0) return 0;
      for (const { id, storageKey } of expired) {
        await storage.delete(storageKey);
        // Its cached /i/ renders (derived/<asset>/…) go with it.
        await storage.deletePrefix(`derived/${id}`);
      }
      await tx.delete(assets).where(inArray(assets.id, expired.map((row) => row.id)));
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
export async function startRetentionSweep(
  boss: PgBoss,
  deps: { db: Db; storage: Storage; log: (msg: string, extra?: object) => void },
  options: { pollingIntervalSeconds: number },
): Promise<void> {
  await boss.createQueue(sweepRetentionQueue, { name: sweepRetentionQueue });
  await boss.schedule(sweepRetentionQueue, sweepCron);
  await boss.work(sweepRetentionQueue, { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds }, async () => {
    const deleted = await sweepExpiredAssets(deps);
    if (deleted > 0) deps.log("retention sweep deleted assets", { deleted });
  });
}
