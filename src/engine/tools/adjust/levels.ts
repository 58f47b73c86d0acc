import { clamp, rawInput, thumbnailOf } from "./raw";

/**
 * Gray-world white balance: a typical scene averages to neutral grey, so each channel gets the
 * gain that brings its mean to the mean of all three. Gains are limited (a sunset or a meadow is
 * not grey on average) and scaled by strength (0-1).
 */
export async function grayWorldGains(rgb: Buffer, width: number, height: number, strength: number): Promise<number[]> {
  // Means of a thumbnail are the means of the image, at a fraction of the cost.
  const thumbnail = await thumbnailOf(rgb, width, height, 3);
  const stats = await rawInput(thumbnail.data, thumbnail.width, thumbnail.height, 3).stats();
  const means = stats.channels.slice(0, 3).map((channel) => Math.max(1, channel.mean));
  const grey = (means[0]! + means[1]! + means[2]!) / 3;
  return means.map((mean) => 1 + (clamp(grey / mean, 0.83, 1.2) - 1) * strength);
}

/**
 * Levels as one linear map per channel: after the gains, the `clip` darkest and brightest share
 * of the luma histogram go to 0 and 255. Returns multipliers and offsets for sharp's linear().
 */
export function levelsMap(
  rgb: Buffer,
  gains: number[],
  strength: number,
  clip = 0.005,
): { multiply: number[]; add: number[]; low: number; high: number } {
  const histogram = new Float64Array(256);
  const pixels = rgb.length / 3;
  // A sample of ~250k pixels is as good as all of them for percentiles.
  const step = Math.max(1, Math.floor(pixels / 250_000));
  const [gr = 1, gg = 1, gb = 1] = gains;
  let samples = 0;
  for (let i = 0; i < pixels; i += step) {
    const luma = 0.299 * gr * rgb[i * 3]! + 0.587 * gg * rgb[i * 3 + 1]! + 0.114 * gb * rgb[i * 3 + 2]!;
    histogram[clamp(Math.round(luma), 0, 255)]! += 1;
    samples += 1;
  }
  const low = percentile(histogram, samples, clip);
  const high = Math.max(percentile(histogram, samples, 1 - clip), low + 1);
  // At most 4x, so a nearly flat image (fog, a wall) is not blown up into noise.
  const full = Math.min(4, 255 / (high - low));
  const scale = 1 + (full - 1) * strength;
  const offset = -low * full * strength;
  return { multiply: gains.map((gain) => gain * scale), add: [offset, offset, offset], low, high };
}

function percentile(histogram: Float64Array, total: number, fraction: number): number {
  const target = total * fraction;
  let seen = 0;
  for (let value = 0; value < 256; value++) {
    seen += histogram[value]!;
    if (seen > target) return value;
  }
  return 255;
}

/** Applies levelsMap's result with libvips (clamped to 0-255). */
export async function applyLinear(
  rgb: Buffer,
  width: number,
  height: number,
  map: { multiply: number[]; add: number[] },
) {
  return rawInput(rgb, width, height, 3).linear(map.multiply, map.add).raw().toBuffer();
}
