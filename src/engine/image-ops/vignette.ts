import { z } from "zod";
import { defineOp, stages } from "./types";

/** The darkest a corner gets at strength 100: some detail always stays. */
const maxDarkening = 0.85;
/** Where the darkening starts, as a share of the distance from the centre to a corner. */
const innerRadius = 0.4;

/**
 * Darkens towards the corners with a smooth radial falloff: an ellipse of the image's own aspect,
 * untouched in the middle, darkest in the corners. Transparency is kept.
 */
export const vignetteOp = defineOp({
  name: "vignette",
  options: z.object({ strength: z.number().int().min(0).max(100).default(50) }),
  stage: stages.composite,
  settlesFirst: true,
  apply(current, { strength }) {
    if (strength === 0) return current;
    const { width, height } = current.size;
    const shade = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
        `<defs><radialGradient id="v" cx="0.5" cy="0.5" r="${Math.SQRT1_2}">${stops((strength / 100) * maxDarkening)}` +
        `</radialGradient></defs><rect x="0" y="0" width="${width}" height="${height}" fill="url(#v)"/></svg>`,
    );
    // Black "atop" the image: each pixel keeps its own alpha and is scaled by (1 - shade opacity).
    const image = current.image.composite([{ input: shade, blend: "atop" }]);
    // Compositing adds an alpha channel; an opaque image need not carry one.
    return { ...current, image: current.opaque ? image.removeAlpha() : image };
  },
});

/** Gradient stops of a smoothstep from the inner radius (clear) to the corners (darkest). */
function stops(darkest: number): string {
  const count = 12;
  let svg = `<stop offset="0" stop-color="#000" stop-opacity="0"/>`;
  for (let i = 0; i <= count; i++) {
    const t = i / count;
    const offset = innerRadius + (1 - innerRadius) * t;
    const opacity = darkest * t * t * (3 - 2 * t);
    svg += `<stop offset="${offset.toFixed(4)}" stop-color="#000" stop-opacity="${opacity.toFixed(4)}"/>`;
  }
  return svg;
}
