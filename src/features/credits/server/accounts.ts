import "server-only";
import { and, eq } from "drizzle-orm";
import { starterCredits } from "@/catalog/pricing";
import type { Ctx } from "@/server/context";
import { accounts } from "@/server/db/schema";
import type { DbOrTx, Tx } from "@/server/db/types";
import { postLedgerEntry } from "./ledger";

/**
 * Makes sure a user has a personal account, with its starter credits unless `withStarterCredits`
 * is false (a sign-up that must verify its email first earns them later: grantStarterCredits).
 * Idempotent, so it can run from the sign-up hook and again lazily on any request without
 * double-granting.
 */
export async function ensurePersonalAccount({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { userId: string; withStarterCredits?: boolean };
}): Promise<string> {
  const { userId, withStarterCredits = true } = input;
  const existing = await findPersonalAccountId(ctx.db, userId);
  if (existing) return existing;
  return ctx.db.transaction(async (tx) => {
    await tx.insert(accounts).values({ ownerUserId: userId, kind: "personal" }).onConflictDoNothing();
    const accountId = await findPersonalAccountId(tx, userId);
    if (!accountId) throw new Error("personal account was not created");
    if (withStarterCredits) await postStarterCredits(tx, accountId, userId);
    return accountId;
  });
}

/** The starter credits on their own, once a user earns them (a verified email). Idempotent. */
export async function grantStarterCredits({ ctx, input }: { ctx: Ctx; input: { userId: string } }): Promise<void> {
  const accountId = await ensurePersonalAccount({ ctx, input: { userId: input.userId, withStarterCredits: false } });
  await ctx.db.transaction((tx) => postStarterCredits(tx, accountId, input.userId));
}

async function postStarterCredits(tx: Tx, accountId: string, userId: string): Promise<void> {
  if (starterCredits <= 0) return;
  // One key per user: however often this runs, the credits are granted once.
  await postLedgerEntry(tx, {
    accountId,
    amount: starterCredits,
    kind: "signup_bonus",
    referenceType: "user",
    referenceId: userId,
    idempotencyKey: `signup_bonus:${userId}`,
  });
}

async function findPersonalAccountId(db: DbOrTx, userId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.ownerUserId, userId), eq(accounts.kind, "personal")));
  return row?.id;
}

/** An account's balance and held credits (not scoped to ctx.accountId: callers name the account they may read). */
export async function getAccountSummary({ ctx, input }: { ctx: Ctx; input: { accountId: string } }) {
  const [row] = await ctx.db
    .select({ id: accounts.id, balance: accounts.balance, held: accounts.held, kind: accounts.kind })
    .from(accounts)
    .where(eq(accounts.id, input.accountId));
  if (!row) throw new Error(`account ${input.accountId} is missing`);
  return row;
}
