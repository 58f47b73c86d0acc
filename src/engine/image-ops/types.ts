import type { Sharp } from "sharp";
import type { z } from "zod";

export type Size = { width: number; height: number };

/**
 * An image being worked on: a sharp pipeline not yet run. `size` is what the pipeline will make,
 * when known without running it (a trim or a free rotation only tells by running). `stage` is the
 * latest place in sharp's fixed order that the pipeline uses (0: a fresh pipeline).
 */
export type Working = {
  image: Sharp;
  size: Size | undefined;
  stage: number;
  /** Known to have no alpha channel (an operation that composites can then leave none). */
  opaque?: boolean;
  /** A rotation queued in this pipeline, which a following flip must turn around (see flipOp). */
  rotation?: { angle: number; background: Rgba };
};

export type Rgba = { r: number; g: number; b: number; alpha: number };

/**
 * Where an operation sits in sharp's fixed order of work inside one pipeline (src/pipeline.cc):
 * whatever order the calls are made in, sharp rotates, trims, crops and resizes before it
 * extends, blurs, sharpens and composites. An operation whose stage is not after the pipeline's
 * latest one would run too early (or replace the earlier call), so it starts a new pipeline.
 */
export const stages = {
  rotate: 1,
  trim: 3,
  crop: 4,
  // sharp mirrors after cropping unless a rotation is queued too: a crop after a flip starts anew.
  flip: 4.5,
  resize: 5,
  extend: 9,
  blur: 11,
  sharpen: 12,
  // sharp greys before it resizes or filters: placed here, greyscale after a blur or sharpen in
  // one pipeline differs from one-by-one by a rounding (at most 4 of 255, see compose.test.ts).
  greyscale: 13,
  composite: 14,
} as const;

/**
 * One image operation: its name, its options as a Zod schema (the generator's inputs and the
 * capability's options are validated by it) and how it adds itself to a pipeline, typed from it.
 */
export type ImageOp<Schema extends z.ZodType = z.ZodType, Name extends string = string> = {
  name: Name;
  options: Schema;
  stage: number;
  /**
   * Starts from decoded pixels when the pipeline has work queued: measured, libvips composites a
   * mask about 1.7x slower inside a decode-and-resize pipeline than on its raw result.
   */
  settlesFirst?: boolean;
  /** Gets the exact size of its input: a pipeline whose size is unknown runs first (see applyOp). */
  apply(current: Working & { size: Size }, options: z.output<Schema>): Working | Promise<Working>;
  /** Whether the result can have transparent pixels where the input had none (JPEG must change). */
  makesAlpha?(options: z.output<Schema>): boolean;
};

/** Declares an operation; the options type of `apply` follows from the schema. */
export function defineOp<Schema extends z.ZodType, const Name extends string>(
  op: ImageOp<Schema, Name>,
): ImageOp<Schema, Name> {
  return op;
}
