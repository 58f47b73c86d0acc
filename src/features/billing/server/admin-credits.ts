import "server-only";
import { randomUUID } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { requireAdmin } from "@/features/auth/server/require-admin";
import { ensurePersonalAccount, getAccountSummary } from "@/features/credits/server/accounts";
import { postLedgerEntry } from "@/features/credits/server/ledger";
import type { Ctx } from "@/server/context";
import { accounts, ledgerEntries, users } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { creditAccount, readDebt } from "./debt";

export const grantCreditsInput = z.strictObject({
  email: z.email().max(320),
  amount: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((n) => n !== 0, { message: "must not be zero" }),
  memo: z.string().trim().min(3).max(500),
});
export type GrantCreditsInput = z.infer<typeof grantCreditsInput> & { idempotencyKey?: string };

/**
 * An admin adds (or, as a correction, removes) credits by hand: one `admin_adjustment` entry with
 * the memo, who did it, and an idempotency key so a double submit grants once. Works with payments
 * off. Added credits pay any debt first; a correction cannot take more than the balance.
 */
export async function grantCreditsByHand({ ctx, input }: { ctx: Ctx; input: GrantCreditsInput }) {
  const adminId = requireAdmin(ctx);
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email.toLowerCase()));
  if (!user) throw new AppError("validation_failed", { fields: { email: ["no user with this email"] } });
  const accountId = await ensurePersonalAccount({ ctx, input: { userId: user.id } });
  const entry = {
    accountId,
    amount: input.amount,
    kind: "admin_adjustment" as const,
    referenceType: "admin" as const,
    referenceId: adminId,
    idempotencyKey: `admin_adjustment:${input.idempotencyKey ?? randomUUID()}`,
    meta: { memo: input.memo, by: adminId },
  };
  await ctx.db.transaction(async (tx) => {
    if (input.amount > 0) return creditAccount(tx, entry);
    const { balance } = await getAccountSummary({ ctx: { ...ctx, db: tx }, input: { accountId } });
    if (balance + input.amount < 0) {
      throw new AppError("validation_failed", { fields: { amount: [`at most ${balance} can be removed`] } });
    }
    return postLedgerEntry(tx, entry);
  });
  const account = await getAccountSummary({ ctx, input: { accountId } });
  return {
    accountId,
    email: input.email.toLowerCase(),
    balance: account.balance,
    debt: await readDebt({ ctx, input: { accountId } }),
  };
}

/** The latest hand-made adjustments, for the admin page. */
export async function listAdminAdjustments({ ctx }: { ctx: Ctx }) {
  requireAdmin(ctx);
  const rows = await ctx.db
    .select({ entry: ledgerEntries, email: users.email })
    .from(ledgerEntries)
    .innerJoin(accounts, eq(accounts.id, ledgerEntries.accountId))
    .innerJoin(users, eq(users.id, accounts.ownerUserId))
    .where(eq(ledgerEntries.kind, "admin_adjustment"))
    .orderBy(desc(ledgerEntries.createdAt))
    .limit(50);
  return rows.map(({ entry, email }) => ({
    id: entry.id,
    email,
    amount: entry.amount,
    memo: typeof entry.meta?.memo === "string" ? entry.meta.memo : "",
    balanceAfter: entry.balanceAfter,
    createdAt: entry.createdAt.toISOString(),
  }));
}
