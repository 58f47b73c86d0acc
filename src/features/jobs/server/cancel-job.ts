import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { resolveHold } from "@/features/credits/server/holds";
import { requireAccountId, type Ctx } from "@/server/context";
import { jobs } from "@/server/db/schema";
import { retryTransaction } from "@/server/db/retry-transaction";
import { AppError, notFound } from "@/server/errors";

type JobRow = typeof jobs.$inferSelect;

/**
 * Cancels a queued or running job of the caller's account and gives its credits back, in one
 * transaction. A running attempt notices within seconds, aborts its provider call and stores nothing.
 */
export async function cancelJob({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<JobRow> {
  const accountId = requireAccountId(ctx);
  // Its own transaction on the root database, whatever ctx.db is.
  const canceled = await retryTransaction(ctx.services.db, async (tx) => {
    const [row] = await tx
      .update(jobs)
      .set({ status: "canceled", finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(jobs.id, input.id), eq(jobs.accountId, accountId), inArray(jobs.status, ["queued", "running"])))
      .returning();
    if (row) await resolveHold(tx, { jobId: row.id, resolution: "released" });
    return row;
  });
  if (canceled) {
    ctx.services.events.notify(canceled.id);
    return canceled;
  }
  const [existing] = await ctx.db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.id, input.id), eq(jobs.accountId, accountId)));
  if (!existing) throw notFound();
  throw new AppError("job_not_cancelable");
}
