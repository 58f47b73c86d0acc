import "server-only";
import { eq, sql } from "drizzle-orm";
import { postLedgerEntry, type PostEntryInput } from "@/features/credits/server/ledger";
import type { Ctx } from "@/server/context";
import { accountDebts, accounts } from "@/server/db/schema";
import type { Tx } from "@/server/db/types";

/**
 * Credits that arrive (purchases, plan grants, admin grants) and credits taken back (refunds,
 * disputes). The balance can never go below zero, so what a refund cannot take back becomes debt;
 * new credits pay the debt first, each payment a `clawback` entry of its own. See ADR 0009.
 */

/** Posts incoming credits, then lets them pay any debt. Exactly once per idempotency key. */
export async function creditAccount(tx: Tx, entry: PostEntryInput): Promise<{ posted: boolean }> {
  const { posted } = await postLedgerEntry(tx, entry);
  if (posted) await settleDebt(tx, { accountId: entry.accountId, cause: entry });
  return { posted };
}

/** Takes `credits` back: as much as the balance allows, the rest becomes debt. */
export async function takeBackCredits(
  tx: Tx,
  input: Omit<PostEntryInput, "amount" | "kind"> & { credits: number },
): Promise<{ recovered: number; debt: number }> {
  if (input.credits <= 0) return { recovered: 0, debt: 0 };
  const balance = await lockedBalance(tx, input.accountId);
  const recovered = Math.min(balance, input.credits);
  const debt = input.credits - recovered;
  // A zero entry still tells the story on the statement when everything was already spent.
  const { posted } = await postLedgerEntry(tx, {
    ...input,
    amount: -recovered,
    kind: "clawback",
    meta: { ...input.meta, reversed: input.credits, recovered, debt },
  });
  if (posted && debt > 0) {
    await tx
      .insert(accountDebts)
      .values({ accountId: input.accountId, amount: debt })
      .onConflictDoUpdate({
        target: accountDebts.accountId,
        set: { amount: sql`${accountDebts.amount} + ${debt}`, updatedAt: new Date() },
      });
  }
  return posted ? { recovered, debt } : { recovered: 0, debt: 0 };
}

type DebtCause = Pick<PostEntryInput, "referenceType" | "referenceId" | "idempotencyKey">;

/** Pays what the account owes from its balance; returns what is still owed. */
export async function settleDebt(tx: Tx, input: { accountId: string; cause: DebtCause }): Promise<number> {
  const { accountId, cause } = input;
  // The account row first, like every ledger write, so two settlements cannot deadlock.
  const balance = await lockedBalance(tx, accountId);
  const [row] = await tx.select().from(accountDebts).where(eq(accountDebts.accountId, accountId)).for("update");
  if (!row || row.amount === 0) return 0;
  const paid = Math.min(balance, row.amount);
  if (paid === 0) return row.amount;
  const { posted } = await postLedgerEntry(tx, {
    accountId,
    amount: -paid,
    kind: "clawback",
    referenceType: cause.referenceType,
    referenceId: cause.referenceId,
    idempotencyKey: `debt_payment:${cause.idempotencyKey}`,
    meta: { debtPaid: paid, debtLeft: row.amount - paid },
  });
  if (!posted) return row.amount;
  await tx
    .update(accountDebts)
    .set({ amount: row.amount - paid, updatedAt: new Date() })
    .where(eq(accountDebts.accountId, accountId));
  return row.amount - paid;
}

export async function readDebt({ ctx, input }: { ctx: Ctx; input: { accountId: string } }): Promise<number> {
  const [row] = await ctx.db
    .select({ amount: accountDebts.amount })
    .from(accountDebts)
    .where(eq(accountDebts.accountId, input.accountId));
  return row?.amount ?? 0;
}

async function lockedBalance(tx: Tx, accountId: string): Promise<number> {
  const [account] = await tx
    .select({ balance: accounts.balance })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .for("no key update");
  if (!account) throw new Error(`account ${accountId} is missing`);
  return account.balance;
}
