import { z } from "zod";
import { defineOp, stages } from "./types";

/** Gaussian blur; sigma is the radius-like strength in pixels (0.3 to 100). */
export const blurOp = defineOp({
  name: "blur",
  options: z.object({ sigma: z.number().min(0.3).max(100).default(2) }),
  stage: stages.blur,
  apply: (current, { sigma }) => ({ ...current, image: current.image.blur(sigma) }),
});

/**
 * Unsharp masking on lightness. `amount` (0-10) drives how hard edges are sharpened; flat areas
 * get half of it so noise is not amplified as much (amount 2 is libvips' default).
 */
export const sharpenOp = defineOp({
  name: "sharpen",
  options: z.object({ sigma: z.number().min(0.5).max(10).default(1), amount: z.number().min(0).max(10).default(2) }),
  stage: stages.sharpen,
  apply: (current, { sigma, amount }) => ({
    ...current,
    image: current.image.sharpen({ sigma, m1: amount / 2, m2: amount }),
  }),
});

/** Black and white, keeping transparency. */
export const grayscaleOp = defineOp({
  name: "grayscale",
  options: z.object({}),
  stage: stages.greyscale,
  apply: (current) => ({ ...current, image: current.image.greyscale() }),
});
