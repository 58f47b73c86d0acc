import { z } from "zod";
import { colourSchema, isOpaque, parseColour } from "./colour";
import { defineOp, stages } from "./types";

export const resizeFits = ["cover", "contain", "fill", "inside", "outside"] as const;
/** sharp's gravities, plus its "attention" strategy (skin, saturation, edges) for cover. */
export const resizePositions = [
  "centre",
  "north",
  "northeast",
  "east",
  "southeast",
  "south",
  "southwest",
  "west",
  "northwest",
  "attention",
] as const;

const side = z.number().int().min(1).max(16_384);

/**
 * Scales to `width` and/or `height` by `fit` (sharp's meanings). `position` places the image for
 * cover and contain; `background` fills contain's margins (transparent by default).
 */
export const resizeOp = defineOp({
  name: "resize",
  options: z.object({
    width: side.optional(),
    height: side.optional(),
    fit: z.enum(resizeFits).default("inside"),
    position: z.enum(resizePositions).default("centre"),
    background: colourSchema.default("transparent"),
  }),
  stage: stages.resize,
  apply(current, { width, height, fit, position, background }) {
    if (width === undefined && height === undefined) return current;
    const image = current.image.resize({ width, height, fit, position, background: parseColour(background) });
    // Both sides with these fits make exactly that size; otherwise sharp rounds the free side.
    const exact =
      width !== undefined && height !== undefined && (fit === "fill" || fit === "cover" || fit === "contain");
    return { ...current, image, size: exact ? { width, height } : undefined };
  },
  makesAlpha: (options) => options.fit === "contain" && !isOpaque(parseColour(options.background)),
});
