import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { findPlan, plans, type Plan } from "@/catalog/pricing";
import type { Ctx } from "@/server/context";
import { billingCustomers, billingSubscriptions } from "@/server/db/schema";
import { catalogItemOfPrice } from "./stripe-catalog";
import type { StripeSubscription } from "./stripe-client";

/** Statuses in which the plan applies: past_due keeps it while Stripe retries the card. */
export const planStatuses = ["active", "trialing", "past_due"];

export type PlanState = {
  plan: Plan;
  status: string | null;
  subscriptionId: string | null;
  currentPeriodEnd: Date | null;
  cancelAt: Date | null;
  cancelAtPeriodEnd: boolean;
};

const freePlan = plans[0];

/** The account's plan now: its live subscription's, else Free. */
export async function readPlanState({ ctx, input }: { ctx: Ctx; input: { accountId: string } }): Promise<PlanState> {
  const { accountId } = input;
  const [row] = await ctx.db
    .select()
    .from(billingSubscriptions)
    .where(and(eq(billingSubscriptions.accountId, accountId), inArray(billingSubscriptions.status, planStatuses)))
    .orderBy(desc(billingSubscriptions.currentPeriodEnd))
    .limit(1);
  const plan = row ? findPlan(row.planId) : undefined;
  if (!row || !plan) {
    return {
      plan: freePlan,
      status: null,
      subscriptionId: null,
      currentPeriodEnd: null,
      cancelAt: null,
      cancelAtPeriodEnd: false,
    };
  }
  return {
    plan,
    status: row.status,
    subscriptionId: row.id,
    currentPeriodEnd: row.currentPeriodEnd,
    cancelAt: row.cancelAt,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
  };
}

/** Whether the account already has a subscription that a new checkout would duplicate. */
export async function hasLiveSubscription({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { accountId: string };
}): Promise<boolean> {
  const { accountId } = input;
  const rows = await ctx.db
    .select({ id: billingSubscriptions.id })
    .from(billingSubscriptions)
    .where(
      and(
        eq(billingSubscriptions.accountId, accountId),
        inArray(billingSubscriptions.status, [...planStatuses, "incomplete"]),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** The account a Stripe customer belongs to (we create every customer, with the account id). */
export async function findAccountOfCustomer({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { customer: unknown };
}): Promise<string | undefined> {
  const { customer } = input;
  const customerId = typeof customer === "string" ? customer : (customer as { id?: string } | null)?.id;
  if (!customerId) return undefined;
  const [row] = await ctx.db
    .select({ accountId: billingCustomers.accountId })
    .from(billingCustomers)
    .where(eq(billingCustomers.stripeCustomerId, customerId));
  return row?.accountId;
}

/**
 * Stores the subscription as Stripe has it now (read from the API, not from the event), so the
 * result does not depend on the order events arrive in: the last write is always the latest state.
 */
export async function storeSubscription({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { accountId: string; subscription: StripeSubscription };
}): Promise<void> {
  const { accountId, subscription } = input;
  const items = subscription.items.data;
  const planId =
    items.map((item) => catalogItemOfPrice(item.price)).find((item) => item?.kind === "plan")?.id ?? "free";
  const periodEnds = items
    .map((item) => item.current_period_end)
    .filter((end): end is number => typeof end === "number");
  const values = {
    accountId,
    planId,
    status: subscription.status,
    currentPeriodEnd: periodEnds.length ? new Date(Math.max(...periodEnds) * 1000) : null,
    cancelAt: subscription.cancel_at ? new Date(subscription.cancel_at * 1000) : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    updatedAt: new Date(),
  };
  await ctx.db
    .insert(billingSubscriptions)
    .values({ id: subscription.id, ...values })
    .onConflictDoUpdate({ target: billingSubscriptions.id, set: values });
}
