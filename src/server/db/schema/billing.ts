import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./credits";

/** The Stripe customer of an account: created once, on the first checkout or portal visit. */
export const billingCustomers = pgTable("billing_customers", {
  accountId: uuid("account_id")
    .primaryKey()
    .references(() => accounts.id, { onDelete: "restrict" }),
  stripeCustomerId: text("stripe_customer_id").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const subscriptionStatuses = [
  "incomplete",
  "incomplete_expired",
  "trialing",
  "active",
  "past_due",
  "canceled",
  "unpaid",
  "paused",
] as const;

/** A Stripe subscription as last read from Stripe (never from an event's possibly stale copy). */
export const billingSubscriptions = pgTable(
  "billing_subscriptions",
  {
    id: text("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    planId: text("plan_id").notNull(),
    status: text("status").notNull(),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
    /** When the customer canceled in the portal: the plan ends then instead of renewing. */
    cancelAt: timestamp("cancel_at", { withTimezone: true }),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("billing_subscriptions_account_idx").on(t.accountId)],
);

/**
 * One payment that brings credits: a pack's Checkout Session or a plan's invoice. `credits` were
 * granted, `creditsReversed` taken back after refunds or disputes (clawed back or owed as debt).
 * A refund may arrive before the payment: the row then starts from the payment intent alone.
 */
export const billingPayments = pgTable(
  "billing_payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: ["pack", "plan"] }),
    itemId: text("item_id"),
    /** cs_… for a pack, in_… for a plan's invoice. */
    stripeObjectId: text("stripe_object_id").unique(),
    paymentIntentId: text("payment_intent_id").unique(),
    status: text("status", { enum: ["pending", "paid", "failed"] })
      .notNull()
      .default("pending"),
    amount: integer("amount").notNull().default(0),
    currency: text("currency"),
    credits: integer("credits").notNull().default(0),
    /** Cumulative, in the charge's minor units, as Stripe reports it (`amount_refunded`). */
    amountRefunded: integer("amount_refunded").notNull().default(0),
    amountDisputed: integer("amount_disputed").notNull().default(0),
    creditsReversed: integer("credits_reversed").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("billing_payments_credits_non_negative", sql`${t.credits} >= 0`),
    check("billing_payments_reversed_range", sql`${t.creditsReversed} >= 0 AND ${t.creditsReversed} <= ${t.credits}`),
    index("billing_payments_account_idx").on(t.accountId),
  ],
);

/** Every Stripe event applied, recorded in the same transaction as its effect: a repeat does nothing. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  accountId: uuid("account_id"),
  processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Credits an account owes after a refund or dispute took back more than it still had. Cached like
 * the balance: every change has a `clawback` ledger entry (meta.debt / meta.debtPaid) beside it.
 * While it is above zero the account cannot spend; new credits pay it first.
 */
export const accountDebts = pgTable(
  "account_debts",
  {
    accountId: uuid("account_id")
      .primaryKey()
      .references(() => accounts.id, { onDelete: "restrict" }),
    amount: integer("amount").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("account_debts_non_negative", sql`${t.amount} >= 0`)],
);
