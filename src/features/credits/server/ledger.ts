import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Ctx } from "@/server/context";
import { accounts, ledgerEntries, type LedgerKind } from "@/server/db/schema";
import type { Tx } from "@/server/db/types";
import { AppError } from "@/server/errors";

export type PostEntryInput = {
  accountId: string;
  amount: number;
  kind: LedgerKind;
  referenceType: "job" | "user" | "stripe_event" | "admin";
  referenceId: string;
  idempotencyKey: string;
  meta?: Record<string, unknown>;
  /** Change to the cached `held` column that goes with this entry (holds and their resolution). */
  heldDelta?: number;
};

export type PostedEntry = { posted: boolean; balance: number };

/**
 * Appends one ledger entry and moves the cached balance with it, exactly once per idempotency key.
 * Must run inside a transaction: the account row is locked so the entry's balance_after is exact.
 */
export async function postLedgerEntry(tx: Tx, input: PostEntryInput): Promise<PostedEntry> {
  if (!Number.isInteger(input.amount)) throw new Error("ledger amounts are integers");
  const [account] = await tx
    .select({ balance: accounts.balance, held: accounts.held })
    .from(accounts)
    .where(eq(accounts.id, input.accountId))
    // Not FOR UPDATE: foreign-key checks from rows inserted in the same transaction hold KEY SHARE
    // on the account, and FOR UPDATE would deadlock against them under concurrency.
    .for("no key update");
  if (!account) throw new AppError("not_found");

  const balanceAfter = account.balance + input.amount;
  if (balanceAfter < 0) {
    throw new AppError("insufficient_credits", { params: { price: -input.amount, balance: account.balance } });
  }
  const inserted = await tx
    .insert(ledgerEntries)
    .values({
      accountId: input.accountId,
      amount: input.amount,
      kind: input.kind,
      referenceType: input.referenceType,
      referenceId: input.referenceId,
      idempotencyKey: input.idempotencyKey,
      balanceAfter,
      meta: input.meta,
    })
    .onConflictDoNothing({ target: ledgerEntries.idempotencyKey })
    .returning({ id: ledgerEntries.id });
  if (inserted.length === 0) return { posted: false, balance: account.balance };

  await tx
    .update(accounts)
    .set({ balance: balanceAfter, held: sql`${accounts.held} + ${input.heldDelta ?? 0}` })
    .where(eq(accounts.id, input.accountId));
  return { posted: true, balance: balanceAfter };
}

/** Sum of entries and the cached balance; the two must always agree. */
export async function readLedgerTotals({ ctx, input }: { ctx: Ctx; input: { accountId: string } }) {
  const { db } = ctx;
  const { accountId } = input;
  const [account] = await db
    .select({ balance: accounts.balance, held: accounts.held })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!account) throw new AppError("not_found");
  const [sum] = await db
    .select({ total: sql<string | null>`sum(${ledgerEntries.amount})` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.accountId, accountId));
  return { balance: account.balance, held: account.held, entriesSum: Number(sum?.total ?? 0) };
}
