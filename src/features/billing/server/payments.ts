import "server-only";
import { eq, or, type SQL } from "drizzle-orm";
import type { LedgerKind } from "@/features/credits/ledger-kinds";
import type { Ctx } from "@/server/context";
import { billingPayments } from "@/server/db/schema";
import type { Tx } from "@/server/db/types";
import { creditAccount, takeBackCredits } from "./debt";

type PaymentRow = typeof billingPayments.$inferSelect;
/** These run inside the transaction that records the Stripe event: the payment row stays locked. */
type TxCtx = Ctx & { db: Tx };
type PaymentKeys = { objectId?: string | null; paymentIntentId?: string | null };

/**
 * A payment's row, locked for this transaction; created when missing. A refund can arrive before
 * the payment it refunds (Stripe does not order events), so either key may come first.
 */
async function lockPayment(tx: Tx, keys: PaymentKeys): Promise<PaymentRow> {
  const conditions = [
    keys.objectId ? eq(billingPayments.stripeObjectId, keys.objectId) : undefined,
    keys.paymentIntentId ? eq(billingPayments.paymentIntentId, keys.paymentIntentId) : undefined,
  ].filter((c): c is SQL => !!c);
  if (conditions.length === 0) throw new Error("a payment needs an object id or a payment intent id");
  const select = () =>
    tx
      .select()
      .from(billingPayments)
      .where(or(...conditions))
      .for("update");
  let [row] = await select();
  if (!row) {
    await tx
      .insert(billingPayments)
      .values({ stripeObjectId: keys.objectId ?? null, paymentIntentId: keys.paymentIntentId ?? null })
      .onConflictDoNothing();
    [row] = await select();
  }
  if (!row) throw new Error("payment row was not created");
  const missing = {
    ...(keys.objectId && !row.stripeObjectId ? { stripeObjectId: keys.objectId } : {}),
    ...(keys.paymentIntentId && !row.paymentIntentId ? { paymentIntentId: keys.paymentIntentId } : {}),
  };
  if (Object.keys(missing).length === 0) return row;
  const [updated] = await tx.update(billingPayments).set(missing).where(eq(billingPayments.id, row.id)).returning();
  return updated!;
}

export type PaidPayment = PaymentKeys & {
  eventId: string;
  accountId: string;
  kind: "pack" | "plan";
  itemId: string;
  amount: number;
  currency: string;
  credits: number;
  ledgerKind: Extract<LedgerKind, "purchase" | "subscription_grant">;
  meta: Record<string, unknown>;
};

/** Grants a paid payment's credits once, then applies any refund that arrived before it. */
export async function grantPayment({ ctx, input }: { ctx: TxCtx; input: PaidPayment }): Promise<void> {
  const tx = ctx.db;
  const row = await lockPayment(tx, input);
  if (row.status === "paid") return;
  const [paid] = await tx
    .update(billingPayments)
    .set({
      accountId: input.accountId,
      kind: input.kind,
      itemId: input.itemId,
      amount: row.amount || input.amount,
      currency: input.currency,
      credits: input.credits,
      status: "paid",
      updatedAt: new Date(),
    })
    .where(eq(billingPayments.id, row.id))
    .returning();
  if (input.credits > 0) {
    await creditAccount(tx, {
      accountId: input.accountId,
      amount: input.credits,
      kind: input.ledgerKind,
      referenceType: "stripe_event",
      referenceId: input.eventId,
      idempotencyKey: `${input.ledgerKind}:${row.stripeObjectId ?? input.objectId}`,
      meta: input.meta,
    });
  }
  await applyReversal(tx, paid!, input.eventId);
}

/** A payment that has not (or not yet) succeeded: no credits. */
export async function markPayment({
  ctx,
  input,
}: {
  ctx: TxCtx;
  input: PaymentKeys & { accountId: string; kind: "pack" | "plan"; itemId: string; status: "pending" | "failed" };
}) {
  const { status, ...keys } = input;
  const tx = ctx.db;
  const row = await lockPayment(tx, keys);
  if (row.status === "paid") return;
  await tx
    .update(billingPayments)
    .set({ status, accountId: keys.accountId, kind: keys.kind, itemId: keys.itemId, updatedAt: new Date() })
    .where(eq(billingPayments.id, row.id));
}

export type Reversal = PaymentKeys & {
  eventId: string;
  accountId?: string;
  /** The charge's amount, for a refund that arrives before the payment. */
  chargeAmount: number;
  amountRefunded?: number;
  amountDisputed?: number;
};

/** Records a refund or dispute (cumulative amounts, as Stripe reports them) and takes credits back. */
export async function recordReversal({ ctx, input }: { ctx: TxCtx; input: Reversal }): Promise<void> {
  const tx = ctx.db;
  const row = await lockPayment(tx, input);
  const [updated] = await tx
    .update(billingPayments)
    .set({
      accountId: row.accountId ?? input.accountId ?? null,
      amount: row.amount || input.chargeAmount,
      amountRefunded: Math.max(row.amountRefunded, input.amountRefunded ?? 0),
      amountDisputed: Math.max(row.amountDisputed, input.amountDisputed ?? 0),
      updatedAt: new Date(),
    })
    .where(eq(billingPayments.id, row.id))
    .returning();
  await applyReversal(tx, updated!, input.eventId);
}

/**
 * Credits to take back follow the share of the money returned (refunded plus disputed, at most
 * all of it); only the part not taken back before is new, so repeats and overlaps take nothing.
 */
async function applyReversal(tx: Tx, row: PaymentRow, eventId: string): Promise<void> {
  if (row.status !== "paid" || !row.accountId || row.credits === 0 || row.amount <= 0) return;
  const share = Math.min(1, (row.amountRefunded + row.amountDisputed) / row.amount);
  const target = Math.min(row.credits, Math.round(row.credits * share));
  const due = target - row.creditsReversed;
  if (due <= 0) return;
  await takeBackCredits(tx, {
    accountId: row.accountId,
    credits: due,
    referenceType: "stripe_event",
    referenceId: eventId,
    idempotencyKey: `clawback:${row.id}:${target}`,
    meta: {
      payment: row.stripeObjectId,
      kind: row.kind,
      item: row.itemId,
      refunded: row.amountRefunded,
      disputed: row.amountDisputed,
    },
  });
  await tx
    .update(billingPayments)
    .set({ creditsReversed: target, updatedAt: new Date() })
    .where(eq(billingPayments.id, row.id));
}
