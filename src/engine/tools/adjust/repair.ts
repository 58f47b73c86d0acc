import type { ToolOutput } from "../types";
import { applyLinear, levelsMap } from "./levels";
import { clamp, decodeRgb, encodeRgb, lumaOf, medianOf, rawInput, rawOutput, thumbnailOf } from "./raw";
import { fillScratches } from "./scratches";

export type RepairOptions = {
  /** 0-100, default 50: how hard denoise and contrast restoration work. */
  strength?: number;
  /** Fill thin scratches and hairs (default true). */
  scratches?: boolean;
  /** Widest scratch to fill in pixels, 1-6 (default 2). */
  scratchWidth?: number;
};

/**
 * Old-photo repair: fill small scratches first (on the untouched pixels, where they stand out
 * most), then denoise, then restore the faded contrast with levels and CLAHE on lightness only, so
 * colours do not shift.
 */
export async function repairImage(input: Buffer, options: RepairOptions = {}): Promise<ToolOutput> {
  const strength = clamp(options.strength ?? 50, 0, 100) / 100;
  const image = await decodeRgb(input);
  const { width, height } = image;

  const filled =
    options.scratches === false
      ? 0
      : await fillScratches(image.rgb, width, height, { maxWidth: options.scratchWidth ?? 2 });
  await denoiseLightness(image.rgb, width, height, 0.3 + 0.4 * strength);

  const levels = levelsMap(image.rgb, [1, 1, 1], strength, 0.002);
  const leveled = await applyLinear(image.rgb, width, height, levels);
  const restored = await restoreLocalContrast(leveled, width, height, strength);

  return encodeRgb({ ...image, rgb: restored }, { scratchPixelsFilled: filled, strength: Math.round(strength * 100) });
}

/**
 * Film grain and scanner noise sit mostly in the lightness: a 3×3 median of the luma, moved into
 * R, G and B alike and blended in by `weight`, is an edge-keeping denoise at a third of the cost
 * of a colour median.
 */
async function denoiseLightness(rgb: Buffer, width: number, height: number, weight: number): Promise<void> {
  const luma = lumaOf(rgb);
  const smooth = await medianOf(luma, width, height, 1, 3);
  for (let i = 0; i < luma.length; i++) {
    const shift = (smooth[i]! - luma[i]!) * weight;
    if (shift === 0) continue;
    for (let c = i * 3; c < i * 3 + 3; c++) rgb[c] = clamp((rgb[c]! + shift + 0.5) | 0, 0, 255);
  }
}

/**
 * CLAHE on the luma, turned into a per-pixel gain applied to R, G and B alike: local contrast
 * comes back without the hue shifts of equalising each channel on its own. The gain is worked out
 * on a copy of at most 1024 pixels (libvips' CLAHE cost grows with the tile area, minutes on
 * 12 MP) and scaled up; a gain map is smooth, so nothing is lost, and the detail stays full size.
 */
async function restoreLocalContrast(rgb: Buffer, width: number, height: number, strength: number): Promise<Buffer> {
  if (strength === 0) return rgb;
  const luma = lumaOf(rgb);
  const small = await thumbnailOf(luma, width, height, 1, 1024);
  // Tiles of about an eighth of the image: local enough for faded corners, large enough to be calm.
  const tile = (side: number) => clamp(Math.round(side / 8), 3, side);
  const equalised = await rawOutput(
    rawInput(small.data, small.width, small.height, 1).clahe({
      width: tile(small.width),
      height: tile(small.height),
      maxSlope: 2,
    }),
    1,
  );
  // Gains 0.5-2.5 stored as bytes (×100) so libvips can scale the map up.
  const gains = Buffer.allocUnsafe(small.data.length);
  for (let i = 0; i < gains.length; i++)
    gains[i] = (clamp((equalised[i]! + 4) / (small.data[i]! + 4), 0.5, 2.5) * 100 + 0.5) | 0;
  const gainMap =
    small.width === width && small.height === height
      ? gains
      : await rawOutput(
          rawInput(gains, small.width, small.height, 1).resize(width, height, { fit: "fill", kernel: "linear" }),
          1,
        );

  const out = Buffer.allocUnsafe(rgb.length);
  for (let i = 0; i < luma.length; i++) {
    const gain = 1 + (gainMap[i]! / 100 - 1) * strength;
    for (let c = i * 3; c < i * 3 + 3; c++) out[c] = clamp((rgb[c]! * gain + 0.5) | 0, 0, 255);
  }
  return out;
}
