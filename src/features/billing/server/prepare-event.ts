import "server-only";
import { eq } from "drizzle-orm";
import { findPack } from "@/catalog/pricing";
import type { Ctx } from "@/server/context";
import { accounts, billingPayments } from "@/server/db/schema";
import type { Tx } from "@/server/db/types";
import { grantPayment, markPayment, recordReversal } from "./payments";
import { catalogItemOfPriceId } from "./stripe-catalog";
import {
  requireStripe,
  type StripeApi,
  type StripeCharge,
  type StripeCheckoutSession,
  type StripeDispute,
  type StripeEvent,
  type StripeInvoice,
} from "./stripe-client";
import { findAccountOfCustomer, storeSubscription } from "./subscriptions";

/**
 * What one event does, split in two: reads from Stripe's API happen first (never inside a
 * database transaction), then `apply` writes everything in the transaction that records the event.
 * Objects that change over time (subscriptions, invoices) are read fresh from the API, so the end
 * state is the same whatever order events arrive in.
 */
export type PreparedEvent = {
  accountId: string | null;
  /** Runs with `{ ...ctx, db: tx }`: the transaction that records the event. */
  apply?: (ctx: Ctx & { db: Tx }) => Promise<void>;
  /** After the commit: effects outside the database (mail). */
  after?: { paymentFailed: { accountId: string } };
};

/** What the steps below share: the caller's ctx (outside any transaction) and the Stripe client. */
type Deps = { ctx: Ctx; stripe: StripeApi };

const ignored: PreparedEvent = { accountId: null };

export async function prepareEvent({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { event: StripeEvent };
}): Promise<PreparedEvent> {
  const { event } = input;
  const deps: Deps = { ctx, stripe: requireStripe(ctx.services.env) };
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed":
      return prepareCheckout(deps, event.id, event.type, event.data.object);
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
    case "customer.subscription.paused":
    case "customer.subscription.resumed":
      return prepareSubscription(deps, event.data.object.id);
    case "invoice.paid":
      return prepareInvoicePaid(deps, event.id, event.data.object.id);
    case "invoice.payment_failed":
      return prepareInvoiceFailed(deps, event.data.object);
    case "charge.refunded":
      return prepareRefund(deps, event.id, event.data.object);
    case "charge.dispute.created":
      return prepareDispute(deps, event.id, event.data.object);
    default:
      return ignored;
  }
}

const accountOfCustomer = (deps: Deps, customer: unknown) =>
  findAccountOfCustomer({ ctx: deps.ctx, input: { customer } });

async function existingAccount(ctx: Ctx, candidate: unknown): Promise<string | undefined> {
  if (typeof candidate !== "string" || !/^[0-9a-f-]{36}$/i.test(candidate)) return undefined;
  const [row] = await ctx.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, candidate));
  return row?.id;
}

async function prepareCheckout(
  deps: Deps,
  eventId: string,
  type: string,
  session: StripeCheckoutSession,
): Promise<PreparedEvent> {
  const accountId =
    (await accountOfCustomer(deps, session.customer)) ?? (await existingAccount(deps.ctx, session.metadata?.accountId));
  if (!accountId) return ignored;

  if (session.mode === "subscription") {
    const subscriptionId = typeof session.subscription === "string" ? session.subscription : session.subscription?.id;
    return subscriptionId ? prepareSubscription(deps, subscriptionId, accountId) : ignored;
  }
  const pack = session.metadata?.kind === "pack" ? findPack(session.metadata.item ?? "") : undefined;
  if (session.mode !== "payment" || !pack) return ignored;
  // The credits promised when the session was made, even if the catalog changed since.
  const promised = Number.parseInt(session.metadata?.credits ?? "", 10);
  const keys = {
    objectId: session.id,
    paymentIntentId:
      typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null),
  };
  const paid =
    type === "checkout.session.async_payment_succeeded" ||
    (type === "checkout.session.completed" && session.payment_status !== "unpaid");
  const failed = type === "checkout.session.async_payment_failed";
  return {
    accountId,
    apply: async (ctx) => {
      if (paid) {
        await grantPayment({
          ctx,
          input: {
            ...keys,
            eventId,
            accountId,
            kind: "pack",
            itemId: pack.id,
            amount: session.amount_total ?? 0,
            currency: session.currency ?? "",
            credits: Number.isInteger(promised) && promised > 0 ? promised : pack.credits,
            ledgerKind: "purchase",
            meta: { pack: pack.id, session: session.id },
          },
        });
      } else {
        const status = failed ? "failed" : "pending";
        await markPayment({ ctx, input: { ...keys, accountId, kind: "pack", itemId: pack.id, status } });
      }
    },
  };
}

async function prepareSubscription(deps: Deps, subscriptionId: string, knownAccount?: string): Promise<PreparedEvent> {
  const subscription = await deps.stripe.subscriptions.retrieve(subscriptionId);
  const accountId =
    knownAccount ??
    (await accountOfCustomer(deps, subscription.customer)) ??
    (await existingAccount(deps.ctx, subscription.metadata?.accountId));
  if (!accountId) return ignored;
  return { accountId, apply: (ctx) => storeSubscription({ ctx, input: { accountId, subscription } }) };
}

function subscriptionOf(invoice: Pick<StripeInvoice, "parent">): string | undefined {
  const subscription = invoice.parent?.subscription_details?.subscription;
  return typeof subscription === "string" ? subscription : subscription?.id;
}

/**
 * A plan's credits for one paid invoice: each regular line grants its plan's monthly credits; an
 * upgrade's proration lines grant the difference (new plan minus old), a downgrade takes nothing.
 */
async function invoiceCredits(
  stripe: StripeApi,
  invoice: StripeInvoice,
): Promise<{ credits: number; planId: string | null }> {
  let regular = 0;
  let prorated = 0;
  let planId: string | null = null;
  let upgradedTo: string | null = null;
  for (const line of invoice.lines.data) {
    const price = line.pricing?.price_details?.price;
    const priceId = typeof price === "string" ? price : price?.id;
    const item = priceId ? await catalogItemOfPriceId(stripe, priceId) : undefined;
    if (item?.kind !== "plan") continue;
    if (line.parent?.subscription_item_details?.proration) {
      prorated += Math.sign(line.amount) * item.credits;
      if (line.amount > 0) upgradedTo = item.id;
    } else {
      regular += item.credits;
      planId ??= item.id;
    }
  }
  return { credits: regular + Math.max(0, prorated), planId: planId ?? upgradedTo };
}

async function prepareInvoicePaid(deps: Deps, eventId: string, invoiceId: string): Promise<PreparedEvent> {
  const invoice = await deps.stripe.invoices.retrieve(invoiceId);
  const subscriptionId = subscriptionOf(invoice);
  if (!subscriptionId || invoice.status !== "paid") return ignored;
  const subscription = await prepareSubscription(deps, subscriptionId);
  const accountId = subscription.accountId;
  if (!accountId) return ignored;
  const { credits, planId } = await invoiceCredits(deps.stripe, invoice);
  return {
    accountId,
    apply: async (ctx) => {
      await subscription.apply?.(ctx);
      await grantPayment({
        ctx,
        input: {
          objectId: invoice.id,
          eventId,
          accountId,
          kind: "plan",
          itemId: planId ?? "unknown",
          amount: invoice.amount_paid,
          currency: invoice.currency,
          credits,
          ledgerKind: "subscription_grant",
          meta: { plan: planId, invoice: invoice.id, periodEnd: invoice.lines.data[0]?.period.end ?? null },
        },
      });
    },
  };
}

async function prepareInvoiceFailed(deps: Deps, invoice: StripeInvoice): Promise<PreparedEvent> {
  const subscriptionId = subscriptionOf(invoice);
  if (!subscriptionId) return ignored;
  const prepared = await prepareSubscription(deps, subscriptionId);
  return prepared.accountId ? { ...prepared, after: { paymentFailed: { accountId: prepared.accountId } } } : prepared;
}

/** The payment a charge paid: a pack's session row already knows its payment intent; an invoice is asked for. */
async function paymentOfIntent(deps: Deps, paymentIntentId: string): Promise<{ objectId: string | null }> {
  const [known] = await deps.ctx.db
    .select({ objectId: billingPayments.stripeObjectId })
    .from(billingPayments)
    .where(eq(billingPayments.paymentIntentId, paymentIntentId));
  if (known?.objectId) return { objectId: known.objectId };
  const list = await deps.stripe.invoicePayments.list({
    payment: { type: "payment_intent", payment_intent: paymentIntentId },
    limit: 1,
  });
  const invoice = list.data[0]?.invoice;
  return { objectId: (typeof invoice === "string" ? invoice : invoice?.id) ?? null };
}

function intentOf(value: string | { id: string } | null): string | null {
  return typeof value === "string" ? value : (value?.id ?? null);
}

async function prepareRefund(deps: Deps, eventId: string, charge: StripeCharge): Promise<PreparedEvent> {
  const paymentIntentId = intentOf(charge.payment_intent);
  if (!paymentIntentId) return ignored;
  const { objectId } = await paymentOfIntent(deps, paymentIntentId);
  const accountId = (await accountOfCustomer(deps, charge.customer)) ?? null;
  return {
    accountId,
    apply: (ctx) =>
      recordReversal({
        ctx,
        input: {
          eventId,
          objectId,
          paymentIntentId,
          accountId: accountId ?? undefined,
          chargeAmount: charge.amount,
          amountRefunded: charge.amount_refunded,
        },
      }),
  };
}

async function prepareDispute(deps: Deps, eventId: string, dispute: StripeDispute): Promise<PreparedEvent> {
  const paymentIntentId = intentOf(dispute.payment_intent);
  if (!paymentIntentId) return ignored;
  const { objectId } = await paymentOfIntent(deps, paymentIntentId);
  return {
    accountId: null,
    // Without the charge at hand the disputed amount stands for the whole payment: take it all back.
    apply: (ctx) =>
      recordReversal({
        ctx,
        input: { eventId, objectId, paymentIntentId, chargeAmount: dispute.amount, amountDisputed: dispute.amount },
      }),
  };
}
