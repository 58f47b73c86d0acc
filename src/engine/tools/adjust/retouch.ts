import type { ToolOutput } from "../types";
import { applyLinear, grayWorldGains, levelsMap } from "./levels";
import { blendInto, clamp, decodeRgb, encodeRgb, rawInput } from "./raw";

export type RetouchOptions = { strength?: number };

/**
 * Auto-enhance: white balance (gray world), levels (percentile clipping), a gentle denoise (a
 * light blur blended in) and sharpening, each scaled by `strength` (0-100, default 50; 0 leaves
 * the pixels as they are). Transparency is kept.
 */
export async function retouchImage(input: Buffer, options: RetouchOptions = {}): Promise<ToolOutput> {
  const strength = clamp(options.strength ?? 50, 0, 100) / 100;
  const image = await decodeRgb(input);
  const { width, height } = image;
  if (strength === 0) return encodeRgb(image, { strength: 0 });

  const gains = await grayWorldGains(image.rgb, width, height, strength);
  const levels = levelsMap(image.rgb, gains, strength);
  const leveled = await applyLinear(image.rgb, width, height, levels);

  // Denoise before sharpening, or the sharpening would amplify the noise. A light blur blended in:
  // a colour median would be gentler on edges but takes seconds on large photos.
  blendInto(leveled, await rawInput(leveled, width, height, 3).blur(0.7).raw().toBuffer(), 0.5 * strength);
  const sharpened = await rawInput(leveled, width, height, 3)
    .sharpen({ sigma: 0.8 + 0.4 * strength, m1: 0.5 * strength, m2: 2 * strength })
    .raw()
    .toBuffer();

  return encodeRgb(
    { ...image, rgb: sharpened },
    { strength: Math.round(strength * 100), gains: gains.map(round2), levels: [levels.low, levels.high] },
  );
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
