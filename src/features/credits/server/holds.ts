import "server-only";
import { and, eq } from "drizzle-orm";
import { holds } from "@/server/db/schema";
import type { Tx } from "@/server/db/types";
import { postLedgerEntry } from "./ledger";

/**
 * Two-phase spending. A hold takes the credits off the balance when a job is accepted; it then
 * resolves exactly once: captured when the job succeeds, released (credits back) when it fails.
 * The `status = 'open'` guard and the unique idempotency keys each make a second resolve a no-op.
 */
export async function placeHold(
  tx: Tx,
  input: { accountId: string; jobId: string; amount: number; generator: string },
) {
  if (input.amount <= 0) return;
  await postLedgerEntry(tx, {
    accountId: input.accountId,
    amount: -input.amount,
    kind: "hold",
    referenceType: "job",
    referenceId: input.jobId,
    idempotencyKey: `hold:${input.jobId}`,
    heldDelta: input.amount,
    meta: { generator: input.generator },
  });
  await tx.insert(holds).values({ accountId: input.accountId, jobId: input.jobId, amount: input.amount });
}

export type HoldResolution = "captured" | "released";

/** Returns true when this call resolved the hold, false when it was already resolved (or none). */
export async function resolveHold(tx: Tx, input: { jobId: string; resolution: HoldResolution }): Promise<boolean> {
  const { jobId, resolution } = input;
  const [hold] = await tx
    .update(holds)
    .set({ status: resolution, resolvedAt: new Date() })
    .where(and(eq(holds.jobId, jobId), eq(holds.status, "open")))
    .returning();
  if (!hold) return false;
  const captured = resolution === "captured";
  await postLedgerEntry(tx, {
    accountId: hold.accountId,
    // The hold already took the credits; a capture makes that final, a release gives them back.
    amount: captured ? 0 : hold.amount,
    kind: captured ? "capture" : "release",
    referenceType: "job",
    referenceId: jobId,
    idempotencyKey: `${resolution === "captured" ? "capture" : "release"}:${jobId}`,
    heldDelta: -hold.amount,
    meta: captured ? { captured: hold.amount } : { released: hold.amount },
  });
  return true;
}
