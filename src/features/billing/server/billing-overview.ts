import "server-only";
import { eq } from "drizzle-orm";
import { billingCurrency, packs, plans } from "@/catalog/pricing";
import { getAccountSummary } from "@/features/credits/server/accounts";
import { requireAccountId, type Ctx } from "@/server/context";
import { billingCustomers } from "@/server/db/schema";
import type { Env } from "@/server/env";
import { readDebt } from "./debt";
import { paymentsEnabled } from "./stripe-client";
import { readPlanState } from "./subscriptions";

/** The public price list: the same data the pricing page, checkout and admin read (no account, no ctx). */
export function listPrices(env: Env) {
  return {
    payments: { enabled: paymentsEnabled(env) },
    currency: billingCurrency,
    plans: plans.map((plan) => ({ ...plan, limits: { ...plan.limits } })),
    packs: packs.map((pack) => ({ ...pack })),
  };
}

/** GET /billing: the account's plan, its renewal, balance and debt, and what can be bought. */
export async function getBillingOverview({ ctx }: { ctx: Ctx }) {
  const { env } = ctx.services;
  const accountId = requireAccountId(ctx);
  const [account, debt, state, customer] = await Promise.all([
    getAccountSummary({ ctx, input: { accountId } }),
    readDebt({ ctx, input: { accountId } }),
    readPlanState({ ctx, input: { accountId } }),
    ctx.db
      .select({ id: billingCustomers.stripeCustomerId })
      .from(billingCustomers)
      .where(eq(billingCustomers.accountId, accountId)),
  ]);
  return {
    ...listPrices(env),
    account: { id: account.id, balance: account.balance, held: account.held, debt },
    subscription: {
      plan: state.plan.id,
      status: state.status,
      renewsAt: state.cancelAtPeriodEnd || state.cancelAt ? null : (state.currentPeriodEnd?.toISOString() ?? null),
      endsAt:
        state.cancelAt?.toISOString() ??
        (state.cancelAtPeriodEnd ? (state.currentPeriodEnd?.toISOString() ?? null) : null),
      /** The portal needs a Stripe customer: anyone who has been to checkout has one. */
      canManage: paymentsEnabled(env) && customer.length > 0,
    },
  };
}
