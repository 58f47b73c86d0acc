import { z } from "zod";
import { trimOp } from "../../image-ops/geometry";
import { runImageOp } from "../../image-ops/run-op";
import { borderOp, cornerRadius, roundCornersOp } from "../../image-ops/shape";
import type { ToolOutput } from "../types";

export type BorderOptions = z.input<typeof borderOp.options>;

/** Adds a frame of `width` pixels on every side (a see-through colour makes JPEG a PNG). */
export function addBorder(input: Buffer, options: BorderOptions): Promise<ToolOutput> {
  return runImageOp(input, borderOp, borderOp.options.parse(options));
}

export const roundCornersOptions = roundCornersOp.options.extend({ format: z.enum(["png", "webp"]).optional() });
export type RoundCornersOptions = z.input<typeof roundCornersOptions>;

/**
 * Makes the corners transparent. "max" (or any radius past half the short side) gives a circle
 * for a square image and a pill for others. The output is PNG or WebP, which hold transparency.
 */
export function roundCorners(input: Buffer, options: RoundCornersOptions): Promise<ToolOutput> {
  const { format, ...rest } = roundCornersOptions.parse(options);
  return runImageOp(input, roundCornersOp, rest, {
    format: (kept) => format ?? (kept === "webp" ? "webp" : "png"),
    quality: (chosen) => (chosen === "webp" ? 90 : undefined),
    meta: (size) => ({ radius: cornerRadius(rest.radius, size) }),
  });
}

export type TrimOptions = z.input<typeof trimOp.options>;

/**
 * Removes borders of the top-left pixel's colour (within `threshold`, 0-255). An image that is
 * one colour all over comes back as it is.
 */
export function trimImage(input: Buffer, options: TrimOptions): Promise<ToolOutput> {
  return runImageOp(input, trimOp, trimOp.options.parse(options), {
    meta: (before, after) => ({ trimmed: after.width !== before.width || after.height !== before.height }),
  });
}
