import "server-only";
import { and, asc, desc, eq } from "drizzle-orm";
import { toAssetView } from "@/features/assets/server/asset-view";
import { requireAccountId, type Ctx } from "@/server/context";
import { assets, jobs, type JobError } from "@/server/db/schema";
import { notFound } from "@/server/errors";
import { hasMessage, translate } from "@/server/i18n";

type JobRow = typeof jobs.$inferSelect;

export async function getJob({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<JobRow> {
  const [row] = await ctx.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, input.id), eq(jobs.accountId, requireAccountId(ctx))));
  if (!row) throw notFound();
  return row;
}

export async function listJobs({ ctx, input }: { ctx: Ctx; input: { limit: number } }): Promise<JobRow[]> {
  return ctx.db
    .select()
    .from(jobs)
    .where(eq(jobs.accountId, requireAccountId(ctx)))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(input.limit);
}

/** The API shape of a job: outputs with signed URLs and the error in the caller's language. */
export async function toJobView({ ctx, input }: { ctx: Ctx; input: { job: JobRow } }) {
  const { job } = input;
  const outputs =
    job.status === "succeeded"
      ? await ctx.db.select().from(assets).where(eq(assets.jobId, job.id)).orderBy(asc(assets.outputIndex))
      : [];
  return {
    id: job.id,
    generator: job.generator,
    status: job.status,
    progress: job.progress,
    price: job.price,
    inputs: job.inputs,
    outputs: outputs.map((asset) => {
      const view = toAssetView(asset, ctx.services.env);
      return {
        assetId: asset.id,
        url: view.url,
        mime: asset.mime,
        width: asset.width,
        height: asset.height,
        bytes: asset.bytes,
      };
    }),
    result: job.result ?? null,
    error: job.error ? { code: job.error.code, message: jobErrorMessage(ctx, job.error) } : null,
    attempts: job.attempts,
    provider: job.provider,
    model: job.model,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

function jobErrorMessage(ctx: Ctx, error: JobError): string {
  if (error.code === "job_failed") return translate(ctx.locale, "errors.job_failed", { reason: error.message });
  // A tool found the inputs do not fit the image (e.g. a crop outside it): the reason is the help.
  if (error.code === "validation_failed")
    return translate(ctx.locale, "errors.invalid_job_input", { reason: error.message });
  const key = `errors.${error.code}`;
  if (hasMessage(ctx.locale, key)) return translate(ctx.locale, key, error.params);
  return translate(ctx.locale, "errors.job_failed", { reason: error.message });
}
