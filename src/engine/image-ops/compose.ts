import type { Sharp } from "sharp";
import type { z } from "zod";
import { sharp } from "../sharp";
import type { ImageOp, Size, Working } from "./types";

/** Decoded pixels, as sharp hands them over and takes them back. */
export type RawImage = { data: Buffer; info: { width: number; height: number; channels: 1 | 2 | 3 | 4 } };

export type Settled = Working & { size: Size; raw: RawImage };

/** Runs the pipeline so far and starts a new one on its pixels (for when the next step needs them). */
export type Settle = (current: Working) => Promise<Settled>;

export function fromRaw(raw: RawImage): Sharp {
  return sharp(raw.data, { raw: raw.info });
}

/** A fresh pipeline; `size` from the header (or unknown, then the first operation settles it). */
export function startWorking(image: Sharp, size: Size | undefined, opaque?: boolean): Working {
  return { image, size, stage: 0, opaque };
}

/**
 * Runs the pipeline so far into raw pixels, never encoded: the next operations start from a known
 * size in a new pipeline. `prepare` can add what every run needs (e.g. a time limit).
 */
export async function settle(current: Working, prepare: (image: Sharp) => Sharp = (image) => image): Promise<Settled> {
  const { data, info } = await prepare(current.image.raw()).toBuffer({ resolveWithObject: true });
  const raw: RawImage = { data, info: { width: info.width, height: info.height, channels: info.channels } };
  const opaque = info.channels === 1 || info.channels === 3;
  return { image: fromRaw(raw), size: { width: info.width, height: info.height }, stage: 0, opaque, raw };
}

function hasSize(current: Working): current is Working & { size: Size } {
  return current.size !== undefined;
}

/**
 * Adds one operation to the pipeline, in the same libvips pass when sharp's fixed order allows it
 * (see `stages`), else after running what came before into raw pixels. So a chain of operations
 * gives the pixels of applying them one by one, with no encoding in between.
 */
export async function applyOp<Schema extends z.ZodType>(
  current: Working,
  op: ImageOp<Schema>,
  options: z.output<Schema>,
  settleWith: Settle = settle,
): Promise<Working> {
  const joins = op.stage > current.stage && !(op.settlesFirst && current.stage > 0);
  const ready = hasSize(current) && joins ? current : await settleWith(current);
  const next = await op.apply(ready, options);
  return { ...next, stage: op.stage, opaque: next.opaque && !op.makesAlpha?.(options) };
}
