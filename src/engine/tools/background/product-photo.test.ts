import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { composeProductPhoto, makeProductPhoto, productFill } from "./product-photo";
import { fixture, pixelsOf, referenceCutout } from "./test-composite";

type Pixels = Awaited<ReturnType<typeof pixelsOf>>;
type Pixel = ReturnType<Pixels["at"]>;

function boxWhere(pixels: Pixels, test: (p: Pixel) => boolean, step = 2) {
  let [left, top, right, bottom] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < pixels.height; y += step) {
    for (let x = 0; x < pixels.width; x += step) {
      if (!test(pixels.at(x, y))) continue;
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

const isSubject = (p: Pixel) => p.b > 120 && p.r < 80; // the reference subject is dark blue
const isWhite = (p: Pixel) => p.r >= 250 && p.g >= 250 && p.b >= 250;

describe("composeProductPhoto", () => {
  it("centres the product at 85% of a 2000 px white square with a soft shadow below (marketplace)", async () => {
    const output = await composeProductPhoto(await referenceCutout());
    expect(output).toMatchObject({ mime: "image/jpeg", width: 2000, height: 2000 });
    expect(output.meta).toMatchObject({ preset: "marketplace", background: "white", subjectFound: true });
    const meta = await sharp(output.data).metadata();
    expect([meta.exif, meta.icc, meta.xmp]).toEqual([undefined, undefined, undefined]);

    const pixels = await pixelsOf(output.data);
    for (const [x, y] of [
      [0, 0],
      [1999, 0],
      [0, 1999],
      [1999, 1999],
      [1000, 20],
    ] as const) {
      expect(isWhite(pixels.at(x, y)), `${x},${y}`).toBe(true);
    }
    const subject = boxWhere(pixels, isSubject);
    expect(Math.max(subject.width, subject.height) / 2000).toBeCloseTo(productFill, 2);
    expect(Math.abs((subject.left + subject.right) / 2 - 1000)).toBeLessThanOrEqual(4);
    expect(Math.abs((subject.top + subject.bottom) / 2 - 1000)).toBeLessThanOrEqual(4);
    // The shadow: grey, not white, just under the subject; nothing as dark as the subject there.
    const under = boxWhere(pixels, (p) => !isWhite(p) && !isSubject(p));
    expect(under.bottom).toBeGreaterThan(subject.bottom);
    expect(under.bottom - subject.bottom).toBeLessThan(200);
  });

  it("makes 1080 px squares and studio backgrounds, as JPEG or PNG", async () => {
    const cutout = await referenceCutout();
    const small = await composeProductPhoto(cutout, { preset: "square-1080" });
    expect(small).toMatchObject({ width: 1080, height: 1080, mime: "image/jpeg" });

    const studio = await composeProductPhoto(cutout, { preset: "studio", format: "png" });
    expect(studio).toMatchObject({ width: 2000, height: 2000, mime: "image/png" });
    expect(await sharp(studio.data).metadata()).toMatchObject({ format: "png", hasAlpha: false });
    const pixels = await pixelsOf(studio.data);
    const corner = pixels.at(5, 5);
    const top = pixels.at(1000, 30);
    expect(corner.r).toBeLessThan(240); // light grey at the edges...
    expect(corner.r).toBeGreaterThan(190);
    expect(top.r).toBeGreaterThan(corner.r); // ...brighter towards the middle
    expect(corner.r).toBe(corner.b); // neutral grey

    const whiteStudio = await composeProductPhoto(cutout, { preset: "studio", background: "white" });
    expect(isWhite((await pixelsOf(whiteStudio.data)).at(5, 5))).toBe(true);
  });
});

describe("makeProductPhoto", () => {
  it("cuts the coffee cup out of its table and centres it on white", async () => {
    const output = await makeProductPhoto(readFileSync(fixture("coffee.png")), { preset: "square-1080" });
    expect(output).toMatchObject({ width: 1080, height: 1080, mime: "image/jpeg" });
    expect(output.meta).toMatchObject({ subjectFound: true });
    const pixels = await pixelsOf(output.data);
    for (const [x, y] of [
      [0, 0],
      [1079, 0],
      [0, 1079],
      [1079, 1079],
    ] as const)
      expect(isWhite(pixels.at(x, y))).toBe(true);
    // The cup and saucer, not the faint shadow: clearly darker than the white background.
    const product = boxWhere(pixels, (p) => p.r + p.g + p.b < 600);
    expect(Math.max(product.width, product.height) / 1080).toBeGreaterThan(0.8);
    expect(Math.max(product.width, product.height) / 1080).toBeLessThan(0.9);
  });
});
