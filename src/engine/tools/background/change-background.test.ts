import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { changeBackground, placeOnBackground } from "./change-background";
import type { Cutout } from "./cutout";
import { composite, fixture, goldenComposite, pixelsOf, referenceCutout } from "./test-composite";

const subjectColor = { r: 20, g: 40, b: 160 };
/** A point well inside the horse's body. */
const insideHorse = { x: 400, y: 300 };

/** The bounding box of the pixels close to the subject's colour. */
function boxOfColor(pixels: Awaited<ReturnType<typeof pixelsOf>>, color: { r: number; g: number; b: number }) {
  let [left, top, right, bottom] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < pixels.height; y += 1) {
    for (let x = 0; x < pixels.width; x += 1) {
      const p = pixels.at(x, y);
      if (Math.abs(p.r - color.r) + Math.abs(p.g - color.g) + Math.abs(p.b - color.b) > 30) continue;
      [left, top, right, bottom] = [
        Math.min(left, x),
        Math.min(top, y),
        Math.max(right, x + 1),
        Math.max(bottom, y + 1),
      ];
    }
  }
  return { left, top, right, bottom, width: right - left, height: bottom - top };
}

function near(
  actual: { r: number; g: number; b: number },
  expected: { r: number; g: number; b: number },
  tolerance = 6,
) {
  expect(Math.abs(actual.r - expected.r), JSON.stringify(actual)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(actual.g - expected.g), JSON.stringify(actual)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(actual.b - expected.b), JSON.stringify(actual)).toBeLessThanOrEqual(tolerance);
}

/** The golden composite's photo with the horse as its mask: a textured original, for the blur. */
async function texturedCutout(): Promise<Cutout> {
  const { image, mask } = await goldenComposite();
  const rgb = await sharp(image).removeAlpha().raw().toBuffer();
  const size = { width: composite.width, height: composite.height };
  return { rgb: { data: rgb, ...size, channels: 3 }, mask: { data: mask, ...size, channels: 1 } };
}

describe("placeOnBackground", () => {
  it("puts the subject, where it was, on a colour; JPEG without metadata by default", async () => {
    const cutout = await referenceCutout(subjectColor);
    expect(cutout.mask.data[insideHorse.y * composite.width + insideHorse.x]).toBe(255);
    const output = await placeOnBackground(cutout, { background: { kind: "color", color: "#e03020" } });
    expect(output).toMatchObject({ mime: "image/jpeg", width: composite.width, height: composite.height });
    expect(output.meta).toMatchObject({ background: "color", subjectFound: true });
    const meta = await sharp(output.data).metadata();
    expect([meta.exif, meta.icc, meta.xmp]).toEqual([undefined, undefined, undefined]);
    const pixels = await pixelsOf(output.data);
    near(pixels.at(5, 5), { r: 0xe0, g: 0x30, b: 0x20 });
    near(pixels.at(insideHorse.x, insideHorse.y), subjectColor);
    const box = boxOfColor(pixels, subjectColor);
    expect(Math.abs(box.left - 173)).toBeLessThanOrEqual(3);
  });

  it("draws a linear gradient at the given angle", async () => {
    const output = await placeOnBackground(await referenceCutout(subjectColor), {
      background: { kind: "gradient", from: "#000000", to: "#ffffff", angle: 90 },
      format: "png",
    });
    const pixels = await pixelsOf(output.data);
    const row = [0, 200, 400, 600, 799].map((x) => pixels.at(x, 5).r);
    expect(row[0]).toBeLessThan(10);
    expect(row[4]).toBeGreaterThan(245);
    for (let i = 1; i < row.length; i += 1) expect(row[i]!).toBeGreaterThan(row[i - 1]!);
    // Left to right: a column has one colour.
    expect(Math.abs(pixels.at(100, 0).r - pixels.at(100, 599).r)).toBeLessThanOrEqual(1);
  });

  it("blurs the original behind the sharp subject", async () => {
    const cutout = await texturedCutout();
    const output = await placeOnBackground(cutout, { background: { kind: "blur", sigma: 12 }, format: "png" });
    const strip = { left: 0, top: 0, width: composite.width, height: 100 };
    const stripStats = async (image: ReturnType<typeof sharp>) =>
      sharp(await image.extract(strip).png().toBuffer()).stats();
    const before = await stripStats(sharp(cutout.rgb.data, { raw: cutout.rgb }));
    const after = await stripStats(sharp(output.data));
    expect(after.channels[0]!.stdev).toBeLessThan(before.channels[0]!.stdev / 2);
    const original = await pixelsOf(await sharp(cutout.rgb.data, { raw: cutout.rgb }).png().toBuffer());
    const result = await pixelsOf(output.data);
    near(result.at(insideHorse.x, insideHorse.y), original.at(insideHorse.x, insideHorse.y), 1);
  });

  it("covers the canvas with an uploaded background image", async () => {
    const backgroundImage = readFileSync(fixture("coffee.png"));
    const output = await placeOnBackground(await referenceCutout(subjectColor), {
      background: { kind: "image", image: backgroundImage },
      format: "png",
    });
    const expected = await pixelsOf(
      await sharp(backgroundImage).resize(composite.width, composite.height, { fit: "cover" }).png().toBuffer(),
    );
    const pixels = await pixelsOf(output.data);
    for (const [x, y] of [
      [5, 5],
      [790, 10],
      [20, 590],
    ] as const)
      near(pixels.at(x, y), expected.at(x, y), 1);
    near(pixels.at(insideHorse.x, insideHorse.y), subjectColor, 1);
  });

  it("fits the subject inside the padding at the asked position", async () => {
    const output = await placeOnBackground(await referenceCutout(subjectColor), {
      background: { kind: "color", color: "#ffffff" },
      padding: 10,
      position: "bottom-right",
      format: "webp",
    });
    expect(output).toMatchObject({ mime: "image/webp", width: composite.width, height: composite.height });
    const box = boxOfColor(await pixelsOf(output.data), subjectColor);
    // The inset area is 640x480; the horse is wider than tall but less so than that area.
    expect(Math.abs(box.bottom - 540)).toBeLessThanOrEqual(3);
    expect(Math.abs(box.right - 720)).toBeLessThanOrEqual(3);
    expect(Math.abs(box.height - 480)).toBeLessThanOrEqual(4);
  });

  it("refuses a background image that is not an image", async () => {
    await expect(
      placeOnBackground(await referenceCutout(), { background: { kind: "image", image: Buffer.from("nope") } }),
    ).rejects.toMatchObject({ code: "corrupt_image" });
  });
});

describe("changeBackground", () => {
  it("removes the background with the model, then places the subject on the new one", async () => {
    const { image } = await goldenComposite();
    const output = await changeBackground(image, { background: { kind: "color", color: "#ffffff" }, format: "png" });
    expect(output).toMatchObject({ mime: "image/png", width: composite.width, height: composite.height });
    expect(output.meta).toMatchObject({ quality: "standard", subjectFound: true });
    const pixels = await pixelsOf(output.data);
    near(pixels.at(5, 5), { r: 255, g: 255, b: 255 }, 3);
    expect(pixels.at(insideHorse.x, insideHorse.y).r).toBeLessThan(250);
  });
});
