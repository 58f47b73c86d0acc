import { lumaOf, medianOf } from "./raw";

export type ScratchOptions = {
  /** Widest defect to fill, in pixels. */
  maxWidth?: number;
  /** How much brighter or darker than its surroundings a pixel must be to count (0-255). */
  threshold?: number;
  /** Shortest defect to fill, in pixels: shorter marks are left alone as image detail. */
  minLength?: number;
};

/**
 * Fills thin bright or dark line-like defects (scratches, hairs, cracks) in place:
 * 1. difference between the luma and its median-filtered copy above a threshold -> candidates,
 *    bright and dark separately (a scratch is one or the other along its length);
 * 2. connected candidates are kept when they are long and thin (pixels per unit of length about
 *    the width at most, with room for anti-aliased edges and gentle curves), which is what tells
 *    a scratch from texture, whose candidates are short specks or wide webs;
 * 3. the kept mask grows by one pixel to catch the scratch's soft edges, and its pixels are
 *    replaced by the median colour around them, in which a line thinner than half the window is gone.
 * Returns the number of pixels replaced.
 */
export async function fillScratches(
  rgb: Buffer,
  width: number,
  height: number,
  options: ScratchOptions = {},
): Promise<number> {
  const maxWidth = Math.max(1, Math.round(options.maxWidth ?? 2));
  const threshold = options.threshold ?? 40;
  const minLength = options.minLength ?? Math.max(12, 6 * maxWidth);
  // A window a little over twice the widest scratch: the scratch is always the minority in it.
  const radius = maxWidth + 1;
  const windowSize = 2 * radius + 1;

  const luma = lumaOf(rgb);
  const smoothLuma = await medianOf(luma, width, height, 1, windowSize);
  const bright = new Uint8Array(luma.length);
  const dark = new Uint8Array(luma.length);
  for (let i = 0; i < luma.length; i++) {
    const difference = luma[i]! - smoothLuma[i]!;
    if (difference > threshold) bright[i] = 1;
    else if (difference < -threshold) dark[i] = 1;
  }
  const mask = new Uint8Array(luma.length);
  const limits = { maxWidth, minLength };
  keepLineLike(bright, width, height, limits, mask);
  keepLineLike(dark, width, height, limits, mask);
  const grown = dilate(mask, width, height);

  return replaceByMedian(rgb, width, height, grown, radius);
}

/**
 * Replaces the masked pixels by the per-channel median of their (2r+1)² neighbourhood, read from
 * the unchanged image. Computed only where the mask is set: a full-image colour median in libvips
 * takes seconds on a 12 MP photo, the mask is a small fraction of it.
 */
function replaceByMedian(rgb: Buffer, width: number, height: number, mask: Uint8Array, radius: number): number {
  const targets: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1) targets.push(i);
  const values = [0, 1, 2].map(() => new Uint8Array((2 * radius + 1) ** 2));
  const replacements = Buffer.allocUnsafe(targets.length * 3);
  targets.forEach((index, t) => {
    const x = index % width;
    const y = (index - x) / width;
    let count = 0;
    for (let ny = Math.max(0, y - radius); ny <= Math.min(height - 1, y + radius); ny++) {
      for (let nx = Math.max(0, x - radius); nx <= Math.min(width - 1, x + radius); nx++) {
        const offset = (ny * width + nx) * 3;
        for (let c = 0; c < 3; c++) values[c]![count] = rgb[offset + c]!;
        count += 1;
      }
    }
    for (let c = 0; c < 3; c++) replacements[t * 3 + c] = values[c]!.subarray(0, count).sort()[count >> 1]!;
  });
  targets.forEach((index, t) => replacements.copy(rgb, index * 3, t * 3, t * 3 + 3));
  return targets.length;
}

/** Labels 8-connected components of `candidates` and marks the long thin ones in `out`. */
function keepLineLike(
  candidates: Uint8Array,
  width: number,
  height: number,
  limits: { maxWidth: number; minLength: number },
  out: Uint8Array,
): void {
  const seen = new Uint8Array(candidates.length);
  const stack: number[] = [];
  const members: number[] = [];
  for (let start = 0; start < candidates.length; start++) {
    if (candidates[start] !== 1 || seen[start] === 1) continue;
    members.length = 0;
    stack.push(start);
    seen[start] = 1;
    let minX = width;
    let maxX = 0;
    let minY = height;
    let maxY = 0;
    while (stack.length > 0) {
      const index = stack.pop()!;
      members.push(index);
      const x = index % width;
      const y = (index - x) / width;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const next = ny * width + nx;
          if (candidates[next] === 1 && seen[next] !== 1) {
            seen[next] = 1;
            stack.push(next);
          }
        }
      }
    }
    // The bounding box diagonal is the length of a straight or gently curved line.
    const length = Math.hypot(maxX - minX + 1, maxY - minY + 1);
    if (length >= limits.minLength && members.length / length <= limits.maxWidth + 1.5) {
      for (const index of members) out[index] = 1;
    }
  }
}

/** 3×3 dilation of a 0/1 mask. */
function dilate(mask: Uint8Array, width: number, height: number): Uint8Array {
  const grown = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x] !== 1) continue;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) grown[ny * width + nx] = 1;
      }
    }
  }
  return grown;
}
