import { randomBytes } from "node:crypto";
import type { FakeStripe } from "./stripe";
import type { Obj } from "./stripe-objects";

/**
 * What Stripe does on its side when a customer pays, refunds or changes a plan: builds the
 * objects (shapes from https://docs.stripe.com/api, API 2026-10-28) that webhooks then carry and
 * that GET /v1/subscriptions/:id and /v1/invoices/:id return.
 */
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);
const month = 30 * 86_400;

function charge(
  fake: FakeStripe,
  input: { amount: number; currency: string; customer: string; paymentIntent: string },
): Obj {
  const created: Obj = {
    id: newId("ch"),
    object: "charge",
    amount: input.amount,
    amount_captured: input.amount,
    amount_refunded: 0,
    captured: true,
    created: now(),
    currency: input.currency,
    customer: input.customer,
    disputed: false,
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: input.paymentIntent,
    refunded: false,
    status: "succeeded",
  };
  fake.store.charges.set(created.id, created);
  return created;
}

/** A pack's Checkout Session paid (or left `unpaid` for a delayed method such as SEPA). */
export function payPackSession(fake: FakeStripe, sessionId: string, paymentStatus: "paid" | "unpaid" = "paid") {
  const session = fake.store.sessions.get(sessionId)!;
  Object.assign(session, {
    status: "complete",
    payment_status: paymentStatus,
    payment_intent: session.payment_intent ?? newId("pi"),
  });
  const paid = charge(fake, {
    amount: session.amount_total,
    currency: session.currency,
    customer: session.customer,
    paymentIntent: session.payment_intent,
  });
  return { session: publicSession(session), charge: paid };
}

export function publicSession(session: Obj): Obj {
  const { _items, _params, ...rest } = session;
  void _items;
  void _params;
  return structuredClone(rest);
}

function subscriptionItem(subscription: string, price: Obj, start: number, end: number): Obj {
  return {
    id: newId("si"),
    object: "subscription_item",
    created: start,
    current_period_start: start,
    current_period_end: end,
    metadata: {},
    price,
    quantity: 1,
    subscription,
  };
}

function line(
  invoice: string,
  subscription: string,
  item: Obj,
  price: Obj,
  amount: number,
  period: { start: number; end: number },
  proration = false,
): Obj {
  return {
    id: newId("il"),
    object: "line_item",
    amount,
    currency: price.currency,
    description: proration ? "Proration" : `1 × ${price.product}`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice,
    livemode: false,
    metadata: {},
    parent: {
      type: "subscription_item_details",
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration,
        proration_details: { credited_items: null },
        subscription,
        subscription_item: item.id,
      },
    },
    period,
    pricing: {
      type: "price_details",
      price_details: { price: price.id, product: price.product },
      unit_amount_decimal: String(price.unit_amount),
    },
    quantity: 1,
    subtotal: amount,
    taxes: [],
  };
}

function invoice(
  fake: FakeStripe,
  input: { subscription: Obj; lines: (id: string) => Obj[]; reason: string; status?: string },
): Obj {
  const id = newId("in");
  const lines = input.lines(id);
  const amount = lines.reduce((sum, l) => sum + l.amount, 0);
  const status = input.status ?? "paid";
  const created: Obj = {
    id,
    object: "invoice",
    amount_due: amount,
    amount_paid: status === "paid" ? amount : 0,
    amount_remaining: status === "paid" ? 0 : amount,
    attempt_count: 1,
    billing_reason: input.reason,
    collection_method: "charge_automatically",
    created: now(),
    currency: input.subscription.currency,
    customer: input.subscription.customer,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: input.subscription.metadata, subscription: input.subscription.id },
    },
    period_end: lines[0]?.period.end ?? now(),
    period_start: lines[0]?.period.start ?? now(),
    status,
    total: amount,
  };
  fake.store.invoices.set(id, created);
  let paid: Obj | undefined;
  if (status === "paid" && amount > 0) {
    const paymentIntent = newId("pi");
    paid = charge(fake, { amount, currency: created.currency, customer: created.customer, paymentIntent });
    fake.store.invoicePayments.push({
      id: newId("inpay"),
      object: "invoice_payment",
      amount_paid: amount,
      amount_requested: amount,
      created: now(),
      currency: created.currency,
      invoice: id,
      is_default: true,
      livemode: false,
      payment: { type: "payment_intent", payment_intent: paymentIntent },
      status: "paid",
    });
  }
  return { invoice: created, charge: paid };
}

/** A plan's Checkout Session paid: Stripe creates the subscription, its first invoice and the charge. */
export function payPlanSession(fake: FakeStripe, sessionId: string) {
  const session = fake.store.sessions.get(sessionId)!;
  const price = session._items[0].price as Obj;
  const id = newId("sub");
  const start = now();
  const item = subscriptionItem(id, price, start, start + month);
  const subscription: Obj = {
    id,
    object: "subscription",
    billing_cycle_anchor: start,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    created: start,
    currency: price.currency,
    customer: session.customer,
    items: { object: "list", data: [item], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    livemode: false,
    metadata: session._params.subscription_data?.metadata ?? {},
    start_date: start,
    status: "active",
  };
  fake.store.subscriptions.set(id, subscription);
  const first = invoice(fake, {
    subscription,
    reason: "subscription_create",
    lines: (inv) => [line(inv, id, item, price, price.unit_amount, { start, end: start + month })],
  });
  subscription.latest_invoice = first.invoice.id;
  Object.assign(session, { status: "complete", payment_status: "paid", subscription: id });
  return {
    session: publicSession(session),
    subscription: structuredClone(subscription),
    invoice: structuredClone(first.invoice),
    charge: first.charge!,
  };
}

/** The next month: a renewal invoice, paid or failed (then the subscription is past_due). */
export function renewSubscription(fake: FakeStripe, subscriptionId: string, outcome: "paid" | "failed" = "paid") {
  const subscription = fake.store.subscriptions.get(subscriptionId)!;
  const item = subscription.items.data[0];
  const start = item.current_period_end;
  const next = invoice(fake, {
    subscription,
    reason: "subscription_cycle",
    status: outcome === "paid" ? "paid" : "open",
    lines: (inv) => [
      line(inv, subscriptionId, item, item.price, item.price.unit_amount, { start, end: start + month }),
    ],
  });
  if (outcome === "paid") Object.assign(item, { current_period_start: start, current_period_end: start + month });
  else subscription.status = "past_due";
  return { subscription: structuredClone(subscription), invoice: structuredClone(next.invoice), charge: next.charge };
}

/** An upgrade in the portal, prorated now: a credit for the old plan's unused time, a charge for the new one. */
export function changePlan(fake: FakeStripe, subscriptionId: string, newPrice: Obj) {
  const subscription = fake.store.subscriptions.get(subscriptionId)!;
  const item = subscription.items.data[0];
  const oldPrice = item.price;
  const period = { start: now(), end: item.current_period_end };
  item.price = newPrice;
  const upgrade = invoice(fake, {
    subscription,
    reason: "subscription_update",
    lines: (inv) => [
      line(inv, subscriptionId, item, oldPrice, -Math.round(oldPrice.unit_amount / 2), period, true),
      line(inv, subscriptionId, item, newPrice, Math.round(newPrice.unit_amount / 2), period, true),
    ],
  });
  return {
    subscription: structuredClone(subscription),
    invoice: structuredClone(upgrade.invoice),
    charge: upgrade.charge,
  };
}

/** Cancelling in the portal: at the period's end, or at once (then the subscription is deleted). */
export function cancelSubscription(fake: FakeStripe, subscriptionId: string, at: "period_end" | "now") {
  const subscription = fake.store.subscriptions.get(subscriptionId)!;
  if (at === "period_end")
    Object.assign(subscription, {
      cancel_at_period_end: true,
      cancel_at: subscription.items.data[0].current_period_end,
    });
  else Object.assign(subscription, { status: "canceled", canceled_at: now(), ended_at: now() });
  return structuredClone(subscription);
}

/** A refund of part or all of a charge: Stripe reports the cumulative `amount_refunded`. */
export function refundCharge(fake: FakeStripe, chargeId: string, amount?: number) {
  const charged = fake.store.charges.get(chargeId)!;
  charged.amount_refunded = Math.min(charged.amount, charged.amount_refunded + (amount ?? charged.amount));
  charged.refunded = charged.amount_refunded === charged.amount;
  return structuredClone(charged);
}

/** A chargeback: the dispute object of charge.dispute.created. */
export function disputeCharge(fake: FakeStripe, chargeId: string) {
  const charged = fake.store.charges.get(chargeId)!;
  charged.disputed = true;
  return {
    id: newId("dp"),
    object: "dispute",
    amount: charged.amount - charged.amount_refunded,
    charge: charged.id,
    created: now(),
    currency: charged.currency,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charged.payment_intent,
    reason: "fraudulent",
    status: "needs_response",
  };
}
