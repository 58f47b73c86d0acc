import { sharp } from "../../sharp";

/** A curved bright scratch and a straight dark hairline over a photo, like damage on an old print. */
export async function drawScratches(photo: Buffer): Promise<Buffer> {
  const { width, height } = await sharp(photo).metadata();
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<path d="M ${width * 0.1} ${height * 0.05} Q ${width * 0.6} ${height * 0.4} ${width * 0.45} ${height * 0.95}" ` +
    `stroke="#f4f4f0" stroke-width="2" fill="none"/>` +
    `<path d="M ${width * 0.7} ${height * 0.1} L ${width * 0.9} ${height * 0.8}" stroke="#202020" stroke-width="1.5" fill="none"/>` +
    `</svg>`;
  return sharp(photo)
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toBuffer();
}

/** Indices of the pixels the scratches changed noticeably. */
export function changedPixels(clean: Buffer, scratched: Buffer): number[] {
  const region: number[] = [];
  for (let i = 0; i < clean.length / 3; i++) {
    let difference = 0;
    for (let c = 0; c < 3; c++) difference += Math.abs(clean[i * 3 + c]! - scratched[i * 3 + c]!);
    if (difference / 3 > 20) region.push(i);
  }
  return region;
}

/** Mean absolute error per channel value over the given pixels. */
export function meanError(reference: Buffer, image: Buffer, pixels: Iterable<number>): number {
  let sum = 0;
  let count = 0;
  for (const i of pixels) {
    for (let c = 0; c < 3; c++) sum += Math.abs(reference[i * 3 + c]! - image[i * 3 + c]!);
    count += 3;
  }
  return count === 0 ? 0 : sum / count;
}
