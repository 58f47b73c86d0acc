import { z } from "zod";
import { sharp } from "../../sharp";
import { colourSchema, parseColour } from "../../image-ops/colour";
import { encodeImage, outputFormats } from "../../image-ops/encode";
import { blurOp, grayscaleOp, sharpenOp } from "../../image-ops/filters";
import { runImageOp } from "../../image-ops/run-op";
import type { ToolOutput } from "../types";

export const convertOptions = z.object({
  format: z.enum(outputFormats),
  quality: z.number().int().min(1).max(100).optional(),
  background: colourSchema.optional(),
});
export type ConvertOptions = z.input<typeof convertOptions>;

/** Changes the format (and quality); transparency flattened onto the background for JPEG. */
export async function convertImage(input: Buffer, options: ConvertOptions): Promise<ToolOutput> {
  let pipeline = sharp(input, { failOn: "error" });
  if (options.format === "jpeg")
    pipeline = pipeline.flatten({ background: parseColour(options.background ?? "#ffffff") });
  return encodeImage(pipeline, options.format, { quality: options.quality });
}

export type BlurOptions = z.input<typeof blurOp.options>;

/** Gaussian blur (see blurOp). */
export function blurImage(input: Buffer, options: BlurOptions): Promise<ToolOutput> {
  return runImageOp(input, blurOp, blurOp.options.parse(options));
}

export type SharpenOptions = z.input<typeof sharpenOp.options>;

/** Unsharp masking on lightness (see sharpenOp). */
export function sharpenImage(input: Buffer, options: SharpenOptions): Promise<ToolOutput> {
  return runImageOp(input, sharpenOp, sharpenOp.options.parse(options));
}

/** Black and white, keeping transparency. */
export function grayscaleImage(input: Buffer): Promise<ToolOutput> {
  return runImageOp(input, grayscaleOp, {});
}
