import { sharp } from "../../sharp";
import type { ToolOutput } from "../types";
import { isOpaque, parseColour } from "./colour";
import { encodeImage, formatWithAlpha, keptFormat } from "../encode";

export type BorderOptions = { width: number; colour?: string };

/** Adds a frame of `width` pixels on every side. */
export async function addBorder(input: Buffer, options: BorderOptions): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error" });
  const meta = await source.metadata();
  const background = parseColour(options.colour ?? "#000000");
  const format = isOpaque(background) ? keptFormat(meta.format) : formatWithAlpha(keptFormat(meta.format));
  const w = options.width;
  return encodeImage(source.extend({ top: w, bottom: w, left: w, right: w, background }), format);
}

export type RoundCornersOptions = { radius: number | "max"; format?: "png" | "webp" };

/**
 * Makes the corners transparent. "max" (or any radius past half the short side) gives a circle
 * for a square image and a pill for others. The output is PNG or WebP, which hold transparency.
 */
export async function roundCorners(input: Buffer, options: RoundCornersOptions): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error" });
  const meta = await source.metadata();
  const { width, height } = meta;
  const radius = Math.min(options.radius === "max" ? Infinity : options.radius, Math.min(width, height) / 2);
  const mask = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect x="0" y="0" width="${width}" height="${height}" rx="${radius}" ry="${radius}" fill="#fff"/></svg>`,
  );
  const format = options.format ?? (meta.format === "webp" ? "webp" : "png");
  // dest-in keeps the image only where the mask is opaque, anti-aliased at the curve.
  const pipeline = source.ensureAlpha().composite([{ input: mask, blend: "dest-in" }]);
  return encodeImage(pipeline, format, { quality: format === "webp" ? 90 : undefined, meta: { radius } });
}

export type TrimOptions = { threshold?: number };

/**
 * Removes borders of the top-left pixel's colour (within `threshold`, 0-255). An image that is
 * one colour all over comes back as it is.
 */
export async function trimImage(input: Buffer, options: TrimOptions): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error" });
  const meta = await source.metadata();
  // libvips needs 3×3 at least to tell a border from content.
  if (meta.width < 3 || meta.height < 3) return { ...(await encodeImage(source, keptFormat(meta.format))), meta: { trimmed: false } };
  const output = await encodeImage(source.trim({ threshold: options.threshold ?? 10 }), keptFormat(meta.format));
  return { ...output, meta: { trimmed: output.width !== meta.width || output.height !== meta.height } };
}
