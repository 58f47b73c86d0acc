import "server-only";
import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { creditValueMicros } from "@/catalog/pricing";
import { requireAdmin } from "@/features/auth/server/require-admin";
import type { Ctx } from "@/server/context";
import { jobs, providerCalls } from "@/server/db/schema";
import type { AdminJobView, CostSummary, CostTotals } from "../views";
import { afterCursor, toPage } from "@/server/pagination";

// The operator's margin view. Money is integer micros (millionths of a US dollar) throughout:
// revenue = captured credits × creditValueMicros; provider cost = what every provider call of the
// job cost, failed attempts and fallbacks included; margin = revenue − provider cost.

const num = (value: unknown) => Number(value ?? 0);

/** Recent jobs of every account, newest first, with what they earned and what they cost. */
export async function listAdminJobs({ ctx, input }: { ctx: Ctx; input: { limit: number; cursor?: string } }) {
  requireAdmin(ctx);
  const rows = await ctx.db
    .select()
    .from(jobs)
    .where(afterCursor(jobs, input.cursor))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(input.limit + 1);
  const { page, nextCursor } = toPage(rows, input.limit);
  const ids = page.map((job) => job.id);
  const calls =
    ids.length === 0
      ? []
      : await ctx.db
          .select({
            jobId: providerCalls.jobId,
            calls: sql`count(*)`.mapWith(Number),
            failed: sql`count(*) filter (where ${providerCalls.outcome} = 'failed')`.mapWith(Number),
            cost: sql`sum(${providerCalls.costMicros})`.mapWith(Number),
            latency: sql`sum(${providerCalls.latencyMs})`.mapWith(Number),
          })
          .from(providerCalls)
          .where(inArray(providerCalls.jobId, ids))
          .groupBy(providerCalls.jobId);
  const callsOf = new Map(calls.map((c) => [c.jobId, c]));
  const views: AdminJobView[] = page.map((job) => {
    const recorded = callsOf.get(job.id);
    const revenueMicros = job.status === "succeeded" ? job.price * creditValueMicros : 0;
    // Jobs record their calls; the job's own figures stand in for rows written before that.
    const providerCostMicros = recorded ? recorded.cost : (job.providerCostMicros ?? 0);
    return {
      id: job.id,
      accountId: job.accountId,
      generator: job.generator,
      status: job.status,
      createdAt: job.createdAt.toISOString(),
      price: job.price,
      revenueMicros,
      provider: job.provider,
      model: job.model,
      providerCostMicros,
      marginMicros: revenueMicros - providerCostMicros,
      latencyMs: recorded ? recorded.latency : job.providerLatencyMs,
      providerCalls: recorded ? recorded.calls : (job.providerCalls ?? 0),
      failedCalls: recorded?.failed ?? 0,
    };
  });
  return { jobs: views, nextCursor };
}

function totalsOf(row: {
  jobs: number;
  succeeded: number;
  credits: number;
  cost: number;
  latencySum: number;
  latencyCount: number;
  calls: number;
  failedCalls: number;
}): CostTotals {
  const revenueMicros = row.credits * creditValueMicros;
  return {
    jobs: row.jobs,
    succeeded: row.succeeded,
    credits: row.credits,
    revenueMicros,
    providerCostMicros: row.cost,
    marginMicros: revenueMicros - row.cost,
    avgLatencyMs: row.latencyCount > 0 ? Math.round(row.latencySum / row.latencyCount) : null,
    calls: row.calls,
    failedCalls: row.failedCalls,
    failureRate: row.calls > 0 ? row.failedCalls / row.calls : null,
  };
}

/**
 * Totals over the jobs created in the last `days` days, per generator and per provider. Per
 * generator, latency is the average time a job spent in provider calls; per provider, the average
 * call. A provider's revenue is that of the jobs it finished; its cost is every call made to it.
 */
export async function summarizeCosts({ ctx, input }: { ctx: Ctx; input: { days: number } }): Promise<CostSummary> {
  requireAdmin(ctx);
  const since = new Date(ctx.services.clock.now().getTime() - input.days * 86_400_000);
  // A job's calls are made after it was created, so this bound keeps every call of the jobs counted.
  const perJob = ctx.db
    .select({
      jobId: providerCalls.jobId,
      calls: sql<number>`count(*)`.as("calls"),
      failed: sql<number>`count(*) filter (where ${providerCalls.outcome} = 'failed')`.as("failed"),
      cost: sql<number>`sum(${providerCalls.costMicros})`.as("cost"),
      latency: sql<number>`sum(${providerCalls.latencyMs})`.as("latency"),
    })
    .from(providerCalls)
    .where(gte(providerCalls.createdAt, since))
    .groupBy(providerCalls.jobId)
    .as("per_job");
  const succeeded = sql`${jobs.status} = 'succeeded'`;
  const jobLatency = sql`coalesce(${perJob.latency}, ${jobs.providerLatencyMs})`;

  const generatorRows = await ctx.db
    .select({
      generator: jobs.generator,
      jobs: sql`count(*)`.mapWith(num),
      succeeded: sql`count(*) filter (where ${succeeded})`.mapWith(num),
      credits: sql`coalesce(sum(${jobs.price}) filter (where ${succeeded}), 0)`.mapWith(num),
      cost: sql`coalesce(sum(coalesce(${perJob.cost}, ${jobs.providerCostMicros})), 0)`.mapWith(num),
      latencySum: sql`coalesce(sum(${jobLatency}), 0)`.mapWith(num),
      latencyCount: sql`count(${jobLatency})`.mapWith(num),
      calls: sql`coalesce(sum(coalesce(${perJob.calls}, ${jobs.providerCalls})), 0)`.mapWith(num),
      failedCalls: sql`coalesce(sum(${perJob.failed}), 0)`.mapWith(num),
    })
    .from(jobs)
    .leftJoin(perJob, eq(perJob.jobId, jobs.id))
    .where(gte(jobs.createdAt, since))
    .groupBy(jobs.generator);

  // Calls by the provider that was called; jobs without call rows count under the provider they name.
  const callRows = await ctx.db
    .select({
      provider: providerCalls.provider,
      jobs: sql`count(distinct ${providerCalls.jobId})`.mapWith(num),
      calls: sql`count(*)`.mapWith(num),
      failedCalls: sql`count(*) filter (where ${providerCalls.outcome} = 'failed')`.mapWith(num),
      cost: sql`coalesce(sum(${providerCalls.costMicros}), 0)`.mapWith(num),
      latencySum: sql`coalesce(sum(${providerCalls.latencyMs}), 0)`.mapWith(num),
    })
    .from(providerCalls)
    .innerJoin(jobs, eq(jobs.id, providerCalls.jobId))
    .where(and(gte(providerCalls.createdAt, since), gte(jobs.createdAt, since)))
    .groupBy(providerCalls.provider);
  const servedRows = await ctx.db
    .select({
      provider: sql<string>`${jobs.provider}`,
      succeeded: sql`count(*) filter (where ${succeeded})`.mapWith(num),
      credits: sql`coalesce(sum(${jobs.price}) filter (where ${succeeded}), 0)`.mapWith(num),
      unrecordedJobs: sql`count(*) filter (where ${perJob.jobId} is null)`.mapWith(num),
      unrecordedCost: sql`coalesce(sum(${jobs.providerCostMicros}) filter (where ${perJob.jobId} is null), 0)`.mapWith(
        num,
      ),
      unrecordedCalls: sql`coalesce(sum(${jobs.providerCalls}) filter (where ${perJob.jobId} is null), 0)`.mapWith(num),
      unrecordedLatency:
        sql`coalesce(sum(${jobs.providerLatencyMs}) filter (where ${perJob.jobId} is null), 0)`.mapWith(num),
    })
    .from(jobs)
    .leftJoin(perJob, eq(perJob.jobId, jobs.id))
    .where(and(gte(jobs.createdAt, since), sql`${jobs.provider} is not null`))
    .groupBy(jobs.provider);

  const providers = new Set([...callRows.map((r) => r.provider), ...servedRows.map((r) => r.provider)]);
  const byProvider = [...providers].map((provider) => {
    const called = callRows.find((r) => r.provider === provider);
    const served = servedRows.find((r) => r.provider === provider);
    const calls = (called?.calls ?? 0) + (served?.unrecordedCalls ?? 0);
    return {
      provider,
      ...totalsOf({
        jobs: (called?.jobs ?? 0) + (served?.unrecordedJobs ?? 0),
        succeeded: served?.succeeded ?? 0,
        credits: served?.credits ?? 0,
        cost: (called?.cost ?? 0) + (served?.unrecordedCost ?? 0),
        latencySum: (called?.latencySum ?? 0) + (served?.unrecordedLatency ?? 0),
        latencyCount: calls,
        calls,
        failedCalls: called?.failedCalls ?? 0,
      }),
    };
  });
  const byGenerator = generatorRows.map(({ generator, ...row }) => ({ generator, ...totalsOf(row) }));
  const sum = (key: keyof (typeof generatorRows)[number]) =>
    generatorRows.reduce((total, row) => total + Number(row[key]), 0);
  const totals = totalsOf({
    jobs: sum("jobs"),
    succeeded: sum("succeeded"),
    credits: sum("credits"),
    cost: sum("cost"),
    latencySum: sum("latencySum"),
    latencyCount: sum("latencyCount"),
    calls: sum("calls"),
    failedCalls: sum("failedCalls"),
  });
  const byMargin = <T extends CostTotals>(list: T[]) =>
    list.sort((a, b) => b.revenueMicros - a.revenueMicros || b.jobs - a.jobs);
  return {
    days: input.days,
    since: since.toISOString(),
    creditValueMicros,
    totals,
    byGenerator: byMargin(byGenerator),
    byProvider: byMargin(byProvider),
  };
}
