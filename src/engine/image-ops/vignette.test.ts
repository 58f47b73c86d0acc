import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sharp } from "../sharp";
import { runImageOp } from "./run-op";
import { vignetteOp } from "./vignette";

const photo = readFileSync("tests/fixtures/images/chelsea.png");

async function rgba(image: Buffer) {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4)];
  return { info, at };
}

/** Mean of R, G and B over a square of `side` pixels at (x, y). */
function meanOf(at: (x: number, y: number) => number[], x: number, y: number, side: number): number {
  let sum = 0;
  for (let dy = 0; dy < side; dy++)
    for (let dx = 0; dx < side; dx++)
      sum +=
        at(x + dx, y + dy)
          .slice(0, 3)
          .reduce((a, b) => a + b, 0) / 3;
  return sum / (side * side);
}

describe("vignette", () => {
  it("leaves the centre, darkens the corners, more with more strength", async () => {
    const grey = await sharp({ create: { width: 300, height: 160, channels: 3, background: "#c8c8c8" } })
      .png()
      .toBuffer();
    const soft = await rgba((await runImageOp(grey, vignetteOp, { strength: 30 })).data);
    const hard = await rgba((await runImageOp(grey, vignetteOp, { strength: 100 })).data);
    expect([hard.info.width, hard.info.height]).toEqual([300, 160]);
    for (const image of [soft, hard]) expect(Math.abs(meanOf(image.at, 145, 75, 10) - 200)).toBeLessThanOrEqual(2);
    for (const [x, y] of [
      [0, 0],
      [295, 0],
      [0, 155],
      [295, 155],
    ] as const) {
      expect(meanOf(soft.at, x, y, 5)).toBeLessThan(170);
      expect(meanOf(hard.at, x, y, 5)).toBeLessThan(meanOf(soft.at, x, y, 5) - 40);
    }
    // Darker towards the corner along the diagonal, never lighter.
    const diagonal = [0.5, 0.35, 0.2, 0.05].map((f) => meanOf(hard.at, Math.round(300 * f), Math.round(160 * f), 3));
    for (let i = 1; i < diagonal.length; i++) expect(diagonal[i]!).toBeLessThanOrEqual(diagonal[i - 1]! + 0.5);
  });

  it("keeps transparency and the format, and strength 0 changes nothing", async () => {
    const input = await sharp(photo).ensureAlpha(0.5).png().toBuffer();
    const out = await runImageOp(input, vignetteOp, { strength: 80 });
    expect(out).toMatchObject({ mime: "image/png", width: 451, height: 300 });
    const result = await rgba(out.data);
    for (const [x, y] of [
      [0, 0],
      [225, 150],
      [450, 299],
    ] as const)
      expect(Math.abs(result.at(x, y)[3]! - 128)).toBeLessThanOrEqual(1);
    const original = await rgba(input);
    expect(meanOf(result.at, 0, 0, 8)).toBeLessThan(meanOf(original.at, 0, 0, 8) * 0.6);
    const opaque = await runImageOp(photo, vignetteOp, { strength: 80 });
    expect((await sharp(opaque.data).metadata()).channels).toBe(3);
    const same = await runImageOp(input, vignetteOp, { strength: 0 });
    expect((await sharp(same.data).raw().toBuffer()).equals(await sharp(input).raw().toBuffer())).toBe(true);
  });

  it("works on any size, down to one pixel", async () => {
    for (const [width, height] of [
      [1, 1],
      [2, 7],
      [1000, 3],
    ] as const) {
      const input = await sharp({ create: { width, height, channels: 3, background: "#808080" } })
        .jpeg()
        .toBuffer();
      expect(await runImageOp(input, vignetteOp, { strength: 50 })).toMatchObject({
        mime: "image/jpeg",
        width,
        height,
      });
    }
  });
});
