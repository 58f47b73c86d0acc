import { sharp } from "../../sharp";
import type { OutputFormat } from "../encode";
import type { ToolOutput } from "../types";
import { parseColour } from "./colour";
import { encodeImage, keptFormat } from "../encode";

export type ConvertOptions = { format: OutputFormat; quality?: number; background?: string };

/** Changes the format (and quality); transparency flattened onto the background for JPEG. */
export async function convertImage(input: Buffer, options: ConvertOptions): Promise<ToolOutput> {
  let pipeline = sharp(input, { failOn: "error" });
  if (options.format === "jpeg") pipeline = pipeline.flatten({ background: parseColour(options.background ?? "#ffffff") });
  return encodeImage(pipeline, options.format, { quality: options.quality });
}

export type BlurOptions = { sigma?: number };

/** Gaussian blur; sigma is the radius-like strength in pixels (0.3 to 100). */
export async function blurImage(input: Buffer, options: BlurOptions): Promise<ToolOutput> {
  const pipeline = sharp(input, { failOn: "error" });
  const meta = await pipeline.metadata();
  return encodeImage(pipeline.blur(options.sigma ?? 2), keptFormat(meta.format));
}

export type SharpenOptions = { sigma?: number; amount?: number };

/**
 * Unsharp masking on lightness. `amount` (0-10) drives how hard edges are sharpened; flat areas
 * get half of it so noise is not amplified as much.
 */
export async function sharpenImage(input: Buffer, options: SharpenOptions): Promise<ToolOutput> {
  const pipeline = sharp(input, { failOn: "error" });
  const meta = await pipeline.metadata();
  const amount = options.amount ?? 2;
  return encodeImage(pipeline.sharpen({ sigma: options.sigma ?? 1, m1: amount / 2, m2: amount }), keptFormat(meta.format));
}

/** Black and white, keeping transparency. */
export async function grayscaleImage(input: Buffer): Promise<ToolOutput> {
  const pipeline = sharp(input, { failOn: "error" });
  const meta = await pipeline.metadata();
  return encodeImage(pipeline.greyscale(), keptFormat(meta.format));
}
