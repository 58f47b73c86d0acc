import "server-only";
import { and, eq } from "drizzle-orm";
import { starterCredits } from "@/catalog/pricing";
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
  db,
  userId,
  withStarterCredits = true,
}: {
  db: DbOrTx;
  userId: string;
  withStarterCredits?: boolean;
}): Promise<string> {
  const existing = await findPersonalAccountId(db, userId);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    await tx.insert(accounts).values({ ownerUserId: userId, kind: "personal" }).onConflictDoNothing();
    const accountId = await findPersonalAccountId(tx, userId);
    if (!accountId) throw new Error("personal account was not created");
    if (withStarterCredits) await postStarterCredits(tx, accountId, userId);
    return accountId;
  });
}

/** The starter credits on their own, once a user earns them (a verified email). Idempotent. */
export async function grantStarterCredits({ db, userId }: { db: DbOrTx; userId: string }): Promise<void> {
  const accountId = await ensurePersonalAccount({ db, userId, withStarterCredits: false });
  await db.transaction((tx) => postStarterCredits(tx, accountId, userId));
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

export async function getAccountSummary({ db, accountId }: { db: DbOrTx; accountId: string }) {
  const [row] = await db
    .select({ id: accounts.id, balance: accounts.balance, held: accounts.held, kind: accounts.kind })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!row) throw new Error(`account ${accountId} is missing`);
  return row;
}
