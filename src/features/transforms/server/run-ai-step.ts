import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { findGenerator } from "@/features/generators/server/registry";
import { submitJob } from "@/features/jobs/server/submit-job";
import { requireAccountId, type Ctx } from "@/server/context";
import { assets, jobs, type AssetRow } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { AiOperation, AiStep } from "./transformation-types";

type JobRow = typeof jobs.$inferSelect;

/**
 * Which generator runs each AI step, and its inputs. e-edit and bg-genfill need a generative
 * provider (none ships with the local engine), so their generators exist only once one is added.
 */
export const aiGenerators: Record<
  AiOperation,
  { generator: string; inputs: (step: AiStep, image: string) => Record<string, unknown> }
> = {
  bgremove: { generator: "remove-background", inputs: (_step, image) => ({ image }) },
  dropshadow: {
    generator: "drop-shadow",
    inputs: (step, image) => ({ image, azimuth: step.args.az, elevation: step.args.el, strength: step.args.st }),
  },
  // ImageKit's e-upscale is AI super-resolution; the tool falls back to classic past its size limit.
  upscale: { generator: "upscale", inputs: (_step, image) => ({ image, scale: 2, method: "ai" }) },
  retouch: { generator: "retouch", inputs: (_step, image) => ({ image }) },
  changebg: { generator: "change-background", inputs: (step, image) => ({ image, prompt: step.args.prompt }) },
  edit: { generator: "edit", inputs: (step, image) => ({ image, prompt: step.args.prompt }) },
  // bg-genfill with cm-pad_resize: the canvas grows to the asked aspect and is filled, then sized to it.
  genfill: { generator: "expand", inputs: (step, image) => ({ image, ...step.args }) },
};

/** Failed attempts of one step before the URL answers transformation_failed (failures cost nothing). */
const maxAttempts = 3;
const ended = new Set(["failed", "canceled"]);

export type AiStepOutcome = { kind: "done"; asset: AssetRow } | { kind: "pending"; job: JobRow };

/**
 * Runs one AI step of a URL as a job of the owner's account, charged once: the Idempotency-Key is
 * derived from the asset and the chain up to this step, so every later request finds the same
 * job. A failed job (credits released) is retried by the next request, at most `maxAttempts` times.
 */
export async function runAiStep({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { step: AiStep; imageAssetId: string; stepHash: string };
}): Promise<AiStepOutcome> {
  const { step } = input;
  const mapping = aiGenerators[step.op];
  const generator = findGenerator(mapping.generator);
  const inputs = mapping.inputs(step, input.imageAssetId);
  // A generator that is missing, or does not take what the step asks (e.g. a prompt), cannot run it.
  if (!generator || !generator.inputSchema.safeParse(inputs).success) {
    throw new AppError("transformation_unavailable", { params: { step: step.token } });
  }

  const keys = Array.from({ length: maxAttempts }, (_, attempt) => `url-transform:${input.stepHash}:${attempt}`);
  const previous = await ctx.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.accountId, requireAccountId(ctx)), inArray(jobs.idempotencyKey, keys)))
    .orderBy(asc(jobs.createdAt));
  let job = previous.find((row) => !ended.has(row.status));
  if (!job) {
    if (previous.length >= maxAttempts) throw new AppError("transformation_failed", { params: { step: step.token } });
    const submitted = await submitJob({
      ctx,
      input: { generator: generator.id, inputs, idempotencyKey: keys[previous.length] },
    });
    job = submitted.job;
  }
  if (job.status !== "succeeded") return { kind: "pending", job };

  const [output] = await ctx.db
    .select()
    .from(assets)
    .where(eq(assets.jobId, job.id))
    .orderBy(asc(assets.outputIndex))
    .limit(1);
  if (!output) throw new AppError("transformation_failed", { params: { step: step.token } });
  return { kind: "done", asset: output };
}
