import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { cutoutWithAlpha } from "./cutout";
import { addDropShadow, shadowGeometry } from "./drop-shadow";
import { pixelsOf, referenceCutout } from "./test-composite";

/** The reference horse as a tight PNG cut-out: the subject touches every edge. */
async function tightCutout(): Promise<Buffer> {
  const loose = await cutoutWithAlpha(await referenceCutout())
    .png()
    .toBuffer();
  return sharp(loose)
    .trim({ background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
}

describe("shadowGeometry", () => {
  it("throws the shadow away from the light, longer when the light is low", () => {
    const subject = { width: 400, height: 300 };
    const fromUpperLeft = shadowGeometry(subject, {});
    expect(fromUpperLeft.dx).toBeGreaterThan(0);
    expect(fromUpperLeft.dy).toBeGreaterThan(0);
    const fromRight = shadowGeometry(subject, { azimuth: 0 });
    expect(fromRight.dx).toBeLessThan(0);
    expect(fromRight.dy).toBe(0);
    expect(shadowGeometry(subject, { elevation: 10 }).dx).toBeGreaterThan(fromUpperLeft.dx);
    expect(shadowGeometry(subject, { elevation: 90 })).toMatchObject({ dx: 0, dy: 0 });
    expect(shadowGeometry(subject, { strength: 25 }).opacity).toBe(0.25);
  });
});

describe("addDropShadow", () => {
  it("grows the canvas to hold the shadow and keeps the subject untouched", async () => {
    const input = await tightCutout();
    const source = await pixelsOf(input);
    const output = await addDropShadow(input, {});
    expect(output.mime).toBe("image/png");
    const expanded = output.meta!.expanded as { left: number; top: number; right: number; bottom: number };
    // Light from the upper left: the shadow falls to the lower right, where the canvas grows most.
    expect(expanded.right).toBeGreaterThan(expanded.left);
    expect(expanded.bottom).toBeGreaterThan(expanded.top);
    expect(output.width).toBe(source.width + expanded.left + expanded.right);
    expect(output.height).toBe(source.height + expanded.top + expanded.bottom);
    const meta = await sharp(output.data).metadata();
    expect(meta).toMatchObject({ hasAlpha: true, format: "png" });
    expect([meta.exif, meta.icc, meta.xmp]).toEqual([undefined, undefined, undefined]);

    const result = await pixelsOf(output.data);
    let opaque = 0;
    for (let y = 0; y < source.height; y += 3) {
      for (let x = 0; x < source.width; x += 3) {
        const before = source.at(x, y);
        if (before.a !== 255) continue;
        opaque += 1;
        expect(result.at(x + expanded.left, y + expanded.top)).toEqual(before);
      }
    }
    expect(opaque).toBeGreaterThan(1000);
    // In the new margin at the lower right there is shadow; the top-left corner stays clear.
    let darkest = { r: 0, g: 0, b: 0, a: 0 };
    for (let y = 0; y < result.height; y += 1) {
      for (let x = result.width - expanded.right; x < result.width; x += 1) {
        if (result.at(x, y).a > darkest.a) darkest = result.at(x, y);
      }
    }
    expect(darkest.a).toBeGreaterThan(40);
    expect(darkest.r + darkest.g + darkest.b).toBe(0);
    expect(result.at(0, 0).a).toBe(0);
  });

  it("draws nothing at strength 0 and can write WebP", async () => {
    const input = await tightCutout();
    const output = await addDropShadow(input, { strength: 0, elevation: 90, format: "webp" });
    expect(output.mime).toBe("image/webp");
    const expanded = output.meta!.expanded as { left: number; right: number };
    expect(expanded.left).toBe(expanded.right);
    const visible = async (image: Buffer) =>
      (await sharp(image).extractChannel(3).raw().toBuffer()).reduce((n, a) => n + (a > 0 ? 1 : 0), 0);
    // Only the subject's own pixels are visible: no shadow anywhere.
    expect(await visible(output.data)).toBe(await visible(input));
    const source = await sharp(input).metadata();
    expect(output.width).toBe(source.width! + 2 * expanded.left);
  });

  it("treats an image without transparency as one opaque subject", async () => {
    const input = await sharp({ create: { width: 200, height: 100, channels: 3, background: "#3366cc" } })
      .jpeg()
      .toBuffer();
    const output = await addDropShadow(input, { azimuth: 270 });
    // Light from above: the shadow falls below.
    const expanded = output.meta!.expanded as { top: number; bottom: number };
    expect(expanded.bottom).toBeGreaterThan(expanded.top);
    expect(output.height).toBeGreaterThan(100);
  });
});
