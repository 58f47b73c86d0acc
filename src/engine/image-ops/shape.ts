import { z } from "zod";
import { colourSchema, isOpaque, parseColour } from "./colour";
import { defineOp, stages } from "./types";

const margin = z.number().int().min(0).max(16_384);

/** Grows the canvas by the given margins, filled with the colour (the image keeps its pixels). */
export const padOp = defineOp({
  name: "pad",
  options: z.object({
    left: margin,
    top: margin,
    right: margin,
    bottom: margin,
    colour: colourSchema.default("#000000"),
  }),
  stage: stages.extend,
  apply(current, { left, top, right, bottom, colour }) {
    const image = current.image.extend({ top, bottom, left, right, background: parseColour(colour) });
    return {
      ...current,
      image,
      size: { width: current.size.width + left + right, height: current.size.height + top + bottom },
    };
  },
  makesAlpha: (options) => !isOpaque(parseColour(options.colour)),
});

/** Adds a frame of `width` pixels on every side. */
export const borderOp = defineOp({
  name: "border",
  options: z.object({ width: z.number().int().min(1).max(1000), colour: colourSchema.default("#000000") }),
  stage: stages.extend,
  apply: (current, { width, colour }) =>
    padOp.apply(current, { left: width, top: width, right: width, bottom: width, colour }),
  makesAlpha: (options) => !isOpaque(parseColour(options.colour)),
});

/** The radius rounded corners get: "max" (or past half the short side) gives a circle or a pill. */
export function cornerRadius(radius: number | "max", size: { width: number; height: number }): number {
  return Math.min(radius === "max" ? Infinity : radius, Math.min(size.width, size.height) / 2);
}

/** Makes the corners transparent with an anti-aliased rounded-rectangle mask. */
export const roundCornersOp = defineOp({
  name: "rounded-corners",
  options: z.object({ radius: z.union([z.number().int().min(1).max(10_000), z.literal("max")]) }),
  stage: stages.composite,
  settlesFirst: true,
  apply(current, options) {
    const { width, height } = current.size;
    const radius = cornerRadius(options.radius, current.size);
    const mask = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
        `<rect x="0" y="0" width="${width}" height="${height}" rx="${radius}" ry="${radius}" fill="#fff"/></svg>`,
    );
    // dest-in keeps the image only where the mask is opaque, anti-aliased at the curve.
    return { ...current, image: current.image.ensureAlpha().composite([{ input: mask, blend: "dest-in" }]) };
  },
  makesAlpha: () => true,
});
