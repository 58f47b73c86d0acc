import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { findPlan, plans } from "@/catalog/pricing";
import { requireAccountId, type Ctx } from "@/server/context";
import { accountDebts, accounts, billingSubscriptions, jobs } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import { AppError } from "@/server/errors";
import { settleDebt } from "./debt";
import { planStatuses } from "./subscriptions";

/** Plan names are the same in every language (Free, Starter, Pro, Business). */
const planName = (id: string) => id[0]!.toUpperCase() + id.slice(1);

/** Input fields that name the size of what a job makes. */
const sizeFields = ["width", "height"] as const;

const mostConcurrentJobs = Math.max(...plans.map((plan) => plan.limits.concurrentJobs));

/**
 * Debt, plan and jobs in progress in one round trip: this runs before every job. The count stops
 * at the largest plan limit, so a busy account costs no more than that.
 */
async function readSpendingState(db: Db, accountId: string) {
  const planId = db
    .select({ planId: billingSubscriptions.planId })
    .from(billingSubscriptions)
    .where(and(eq(billingSubscriptions.accountId, accountId), inArray(billingSubscriptions.status, planStatuses)))
    .orderBy(desc(billingSubscriptions.currentPeriodEnd))
    .limit(1);
  const debt = db.select({ amount: accountDebts.amount }).from(accountDebts).where(eq(accountDebts.accountId, accountId));
  const active = db
    .select({ one: sql`1` })
    .from(jobs)
    .where(and(eq(jobs.accountId, accountId), inArray(jobs.status, ["queued", "running"])))
    .limit(mostConcurrentJobs);
  const [row] = await db
    .select({
      planId: sql<string | null>`(${planId})`,
      debt: sql<number>`coalesce((${debt}), 0)::int`,
      active: sql<number>`(select count(*)::int from (${active}) as active)`,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return { plan: (row?.planId && findPlan(row.planId)) || plans[0], debt: row?.debt ?? 0, active: row?.active ?? 0 };
}

/**
 * Called by submitJob before its transaction: an account in debt cannot spend (402), and a job
 * past the plan's limits is refused (403) with the limit and the plan in the message.
 */
export async function assertWithinPlan({ ctx, input }: { ctx: Ctx & { db: Db }; input: { inputs: Record<string, unknown> } }) {
  const accountId = requireAccountId(ctx);
  const { plan, debt, active } = await readSpendingState(ctx.db, accountId);
  if (debt > 0) await assertDebtPaid(ctx, accountId);

  const side = Math.max(0, ...sizeFields.map((field) => input.inputs[field]).filter((v): v is number => typeof v === "number"));
  if (side > plan.limits.maxSide) {
    throw new AppError("plan_limit_exceeded", {
      message: `${side} px is past the ${plan.id} plan's ${plan.limits.maxSide} px`,
      params: { limit: "maxSide", plan: planName(plan.id), max: plan.limits.maxSide, requested: side },
    });
  }
  if (active >= plan.limits.concurrentJobs) {
    throw new AppError("plan_limit_exceeded", {
      message: `the ${plan.id} plan runs ${plan.limits.concurrentJobs} jobs at once`,
      params: { limit: "concurrentJobs", plan: planName(plan.id), max: plan.limits.concurrentJobs, requested: active + 1 },
    });
  }
}

/** Credits that came back since (a released hold) pay the debt first; what is left blocks spending. */
async function assertDebtPaid(ctx: Ctx & { db: Db }, accountId: string) {
  const left = await ctx.db.transaction((tx) =>
    settleDebt(tx, accountId, { referenceType: "user", referenceId: accountId, idempotencyKey: `settle:${randomUUID()}` }),
  );
  if (left > 0) throw new AppError("account_in_debt", { params: { debt: left } });
}
