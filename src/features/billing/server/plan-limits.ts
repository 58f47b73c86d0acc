import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { findPlan, plans, type Plan } from "@/catalog/pricing";
import { requireAccountId, type Ctx } from "@/server/context";
import { accountDebts, accounts, billingSubscriptions, jobs } from "@/server/db/schema";
import { retryTransaction } from "@/server/db/retry-transaction";
import type { Tx } from "@/server/db/types";
import { AppError } from "@/server/errors";
import { settleDebt } from "./debt";
import { planStatuses, readPlanState } from "./subscriptions";

/** Plan names are the same in every language (Free, Starter, Pro, Business). */
const planName = (id: string) => id[0]!.toUpperCase() + id.slice(1);

type Size = { width: number; height: number };

/** Debt and plan in one round trip: this runs before every job. */
async function readSpendingState(ctx: Ctx, accountId: string) {
  const { db } = ctx;
  const planId = db
    .select({ planId: billingSubscriptions.planId })
    .from(billingSubscriptions)
    .where(and(eq(billingSubscriptions.accountId, accountId), inArray(billingSubscriptions.status, planStatuses)))
    .orderBy(desc(billingSubscriptions.currentPeriodEnd))
    .limit(1);
  const debt = db
    .select({ amount: accountDebts.amount })
    .from(accountDebts)
    .where(eq(accountDebts.accountId, accountId));
  const [row] = await db
    .select({ planId: sql<string | null>`(${planId})`, debt: sql<number>`coalesce((${debt}), 0)::int` })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return { plan: (row?.planId && findPlan(row.planId)) || plans[0], debt: row?.debt ?? 0 };
}

function maxSideExceeded(plan: Plan, subject: "input" | "output", side: number): AppError {
  return new AppError("plan_limit_exceeded", {
    message: `a ${subject} of ${side} px is past the ${plan.id} plan's ${plan.limits.maxSide} px`,
    params: { limit: "maxSide", subject, plan: planName(plan.id), max: plan.limits.maxSide, requested: side },
  });
}

const sideOf = (size: Size) => Math.max(size.width, size.height);

/**
 * The size an image is worked on under a plan: larger inputs are scaled down to fit the plan's
 * "px a side" (the worker does the same when it loads them), so a phone photo still works on the
 * Free plan and its result stays within what the plan promises.
 */
export function fitToPlan(size: Size, plan: Plan): Size {
  const scale = Math.min(1, plan.limits.maxSide / sideOf(size));
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/**
 * Called by submitJob before its transaction: an account in debt cannot spend (402); a job whose
 * output (foretold from its inputs, fitted to the plan) would be past the plan's "px a side" is
 * refused (403, params say which). Returns the plan for the jobs-at-once check inside the
 * transaction (assertJobSlotFree).
 */
export async function assertWithinPlan({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { expectedOutput: (plan: Plan) => Size | undefined };
}): Promise<Plan> {
  const accountId = requireAccountId(ctx);
  const { plan, debt } = await readSpendingState(ctx, accountId);
  if (debt > 0) await assertDebtPaid(ctx, accountId);
  const expected = input.expectedOutput(plan);
  if (expected && sideOf(expected) > plan.limits.maxSide) throw maxSideExceeded(plan, "output", sideOf(expected));
  return plan;
}

/**
 * Inside the job's transaction, after the account row is locked: concurrent submissions of one
 * account pass here one at a time, so the count of open jobs cannot be outrun. The count stops at
 * the limit, so a busy account costs no more than that.
 */
export async function assertJobSlotFree({
  ctx,
  input,
}: {
  ctx: Ctx & { db: Tx };
  input: { accountId: string; plan: Plan };
}) {
  const tx = ctx.db;
  const max = input.plan.limits.concurrentJobs;
  const open = tx
    .select({ one: sql`1` })
    .from(jobs)
    .where(and(eq(jobs.accountId, input.accountId), inArray(jobs.status, ["queued", "running"])))
    .limit(max);
  const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(open.as("open"));
  const count = row?.count ?? 0;
  if (count >= max) {
    throw new AppError("plan_limit_exceeded", {
      message: `the ${input.plan.id} plan runs ${max} jobs at once`,
      params: { limit: "concurrentJobs", plan: planName(input.plan.id), max, requested: count + 1 },
    });
  }
}

/**
 * The worker's last line before storing a result: an output past the account's plan (one the
 * inputs could not foretell, or a plan changed since the job was accepted) fails the job.
 */
export async function assertOutputsWithinPlan({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { accountId: string; outputs: Size[] };
}) {
  const largest = Math.max(0, ...input.outputs.map(sideOf));
  if (largest === 0) return;
  const { plan } = await readPlanState({ ctx, input: { accountId: input.accountId } });
  if (largest > plan.limits.maxSide) throw maxSideExceeded(plan, "output", largest);
}

/** Credits that came back since (a released hold) pay the debt first; what is left blocks spending. */
async function assertDebtPaid(ctx: Ctx, accountId: string) {
  // In a transaction of its own (retried on deadlock), whatever ctx.db is.
  const left = await retryTransaction(ctx.services.db, (tx) =>
    settleDebt(tx, {
      accountId,
      cause: { referenceType: "user", referenceId: accountId, idempotencyKey: `settle:${randomUUID()}` },
    }),
  );
  if (left > 0) throw new AppError("account_in_debt", { params: { debt: left } });
}
