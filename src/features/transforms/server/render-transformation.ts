import "server-only";
import { eq } from "drizzle-orm";
import { createAsset } from "@/features/assets/server/create-asset";
import type { Ctx } from "@/server/context";
import { assets, type AssetRow, type jobs } from "@/server/db/schema";
import type { DbOrTx } from "@/server/db/types";
import type { Env } from "@/server/env";
import { formatOfMime, mimeOfFormat } from "./encode-output";
import { derivedKey, singleFlight, stepHash } from "./derived-key";
import { executeTransformation, makesAlpha } from "./execute-transformation";
import type { FaceLocator } from "./image-focus";
import { assertRenderBudget, maxRenderPixels } from "./render-limits";
import { runAiStep } from "./run-ai-step";
import type { BasicStep, ImageFormat, Transformation } from "./transformation-types";

type JobRow = typeof jobs.$inferSelect;

export type RenderResult =
  { kind: "ready"; data: Buffer; mime: string; etag: string } | { kind: "pending"; step: string; job: JobRow };

/**
 * Produces the derived image of a transformation (the caller has checked access and the cache):
 * runs the non-AI steps with sharp through the CPU queue, each AI step as a charged job of the
 * owner's account, and stores the result under its cache key. While a job runs it answers pending.
 * `ctx` acts for the asset's owner account; `locateFaces` serves fo-face (attention without it).
 */
export async function renderTransformation({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { asset: AssetRow; transformation: Transformation; format: ImageFormat; locateFaces?: FaceLocator };
}): Promise<RenderResult> {
  const { asset, transformation, format, locateFaces } = input;
  const { env, storage, cpu } = ctx.services;
  const { key, hash } = derivedKey({
    assetId: asset.id,
    canonical: transformation.canonical,
    format,
    purpose: "final",
  });
  // The steps up to the first AI step, sized from the asset row: a chain over budget is refused
  // before its bytes are read or a CPU slot is waited for (the executor checks again from the header).
  const leading = transformation.steps.findIndex((step) => step.kind === "ai");
  const basics = transformation.steps.slice(0, leading < 0 ? undefined : leading) as BasicStep[];
  if (asset.width && asset.height)
    assertRenderBudget(basics, { width: asset.width, height: asset.height }, renderLimits(env));
  return singleFlight(key, async (): Promise<RenderResult> => {
    const segments = transformation.canonical.split(":");
    let source: AssetRow = asset;
    let pending: BasicStep[] = [];
    for (const [index, step] of transformation.steps.entries()) {
      if (step.kind === "basic") {
        pending.push(step);
        continue;
      }
      const prefix = segments.slice(0, index).join(":");
      // Steps before an AI step become an image of their own: jobs take assets as input.
      if (pending.some(changesPixels))
        source = await materializeInput({
          ctx,
          input: { asset, source, steps: pending, canonical: prefix, locateFaces },
        });
      pending = [];
      const outcome = await runAiStep({
        ctx,
        input: { step, imageAssetId: source.id, stepHash: stepHash(asset.id, segments.slice(0, index + 1).join(":")) },
      });
      if (outcome.kind === "pending") return { kind: "pending", step: step.token, job: outcome.job };
      source = outcome.asset;
    }

    const bytes = await storage.get(source.storageKey);
    // A finished AI output already in the wanted format is served as it is, not re-encoded.
    const data =
      pending.length === 0 && formatOfMime(source.mime) === format
        ? bytes
        : (
            await cpu.run(asset.accountId, () =>
              execute(env, { input: bytes, steps: pending, format, quality: transformation.quality, locateFaces }),
            )
          ).data;
    await storage.put(key, data, mimeOfFormat[format]);
    return { kind: "ready", data, mime: mimeOfFormat[format], etag: `"${hash}"` };
  });
}

/** f and q only describe the final encoding; a step with nothing else needs no image of its own. */
function changesPixels(step: BasicStep): boolean {
  return Object.keys(step).some((key) => key !== "kind" && key !== "f" && key !== "q");
}

function renderLimits(env: Env) {
  return {
    maxInputPixels: env.UPLOAD_MAX_PIXELS,
    maxOutputPixels: env.UPLOAD_MAX_PIXELS,
    maxRenderPixels: maxRenderPixels(env.UPLOAD_MAX_PIXELS),
  };
}

type ExecuteInput = {
  input: Buffer;
  steps: BasicStep[];
  format: ImageFormat;
  quality?: number;
  locateFaces?: FaceLocator;
};

/** Runs inside a CPU slot: the time limit counts from here, not from the wait for the slot. */
function execute(env: Env, options: ExecuteInput) {
  return executeTransformation({
    ...options,
    limits: renderLimits(env),
    timeoutSeconds: env.TRANSFORM_TIMEOUT_SECONDS,
  });
}

/**
 * Stores the image a chain has made before an AI step as a `derived` asset of the owner, under a
 * deterministic key, so repeats reuse it and the job's Idempotency-Key sees the same input.
 * Lossless PNG when transparency is involved, otherwise a high-quality JPEG.
 */
async function materializeInput({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { asset: AssetRow; source: AssetRow; steps: BasicStep[]; canonical: string; locateFaces?: FaceLocator };
}): Promise<AssetRow> {
  const { env, storage, cpu } = ctx.services;
  const opaque = input.source.mime === "image/jpeg" && !input.steps.some(makesAlpha);
  const format: ImageFormat = opaque ? "jpg" : "png";
  const { key } = derivedKey({ assetId: input.asset.id, canonical: input.canonical, format, purpose: "input" });
  const existing = await findByKey(ctx.db, key);
  if (existing) return existing;

  const bytes = await storage.get(input.source.storageKey);
  const { steps, locateFaces } = input;
  const quality = opaque ? 95 : undefined;
  const image = await cpu.run(input.asset.accountId, () =>
    execute(env, { input: bytes, steps, format, quality, locateFaces }),
  );
  return createAsset({
    ctx,
    input: {
      kind: "derived",
      storageKey: key,
      data: image.data,
      mime: image.mime,
      width: image.width,
      height: image.height,
    },
  });
}

async function findByKey(db: DbOrTx, key: string): Promise<AssetRow | undefined> {
  const [row] = await db.select().from(assets).where(eq(assets.storageKey, key));
  return row;
}
