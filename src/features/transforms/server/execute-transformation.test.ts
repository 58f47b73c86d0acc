import { readFileSync } from "node:fs";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { executeTransformation, type ExecuteOptions } from "./execute-transformation";
import { parseTransformation } from "./parse-transformation";
import type { BasicStep, ImageFormat } from "./transformation-types";

const limits = { maxInputPixels: 40_000_000, maxOutputPixels: 40_000_000 };
const photo = readFileSync("tests/fixtures/images/chelsea.png");

/** 200x100: top-left red, top-right green, bottom-left blue, bottom-right yellow. */
let quad: Buffer;
const red = [255, 0, 0];
const green = [0, 255, 0];
const blue = [0, 0, 255];
const yellow = [255, 255, 0];

beforeAll(async () => {
  const block = (colour: number[]) =>
    sharp({
      create: { width: 100, height: 50, channels: 3, background: { r: colour[0]!, g: colour[1]!, b: colour[2]! } },
    })
      .png()
      .toBuffer();
  quad = await sharp({ create: { width: 200, height: 100, channels: 3, background: "#000" } })
    .composite([
      { input: await block(red), left: 0, top: 0 },
      { input: await block(green), left: 100, top: 0 },
      { input: await block(blue), left: 0, top: 50 },
      { input: await block(yellow), left: 100, top: 50 },
    ])
    .png()
    .toBuffer();
});

async function run(tr: string, input = quad, extra: Partial<ExecuteOptions> = {}) {
  const t = parseTransformation(tr);
  const format = (t.format && t.format !== "auto" && t.format !== "orig" ? t.format : "png") as ImageFormat;
  const result = await executeTransformation({
    input,
    steps: t.steps as BasicStep[],
    format,
    quality: t.quality,
    limits,
    ...extra,
  });
  const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [
    ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x + 1) * info.channels),
  ];
  const pixel = (x: number, y: number) => at(x, y).slice(0, 3);
  const alpha = (x: number, y: number) => (info.channels === 4 ? at(x, y)[3] : 255);
  return { result, info, pixel, alpha, size: [result.width, result.height] };
}

const near = (actual: number[], expected: number[], tolerance = 12) =>
  expected.every((value, i) => Math.abs((actual[i] ?? -999) - value) <= tolerance);

describe("executeTransformation: sizes and crop modes", () => {
  it.each([
    ["w-100", [100, 50]],
    ["h-0.5", [100, 50]],
    ["w-50,dpr-2", [100, 50]],
    ["w-100,ar-1-1", [100, 100]],
    ["h-30,ar-2-1", [60, 30]],
    ["w-100,h-100,c-force", [100, 100]],
    ["w-1000,h-1000,c-at_max", [200, 100]],
    ["w-100,c-at_max", [100, 50]],
    ["w-400,h-400,c-at_max_enlarge", [400, 200]],
    ["w-100,h-100,c-at_least", [200, 100]],
    ["w-100,h-100,cm-pad_resize", [100, 100]],
    ["w-50,h-40,cm-extract", [50, 40]],
    ["w-300,h-200,cm-extract", [200, 100]],
    ["w-300,h-200,cm-pad_extract", [300, 200]],
    ["w-100:rt-90", [50, 100]],
  ])("%s -> %j", async (tr, size) => {
    expect((await run(tr)).size).toEqual(size);
  });

  it("crops around the focus position for maintain_ratio", async () => {
    expect((await run("w-100,h-100")).pixel(10, 10)).toEqual(red);
    const right = await run("w-100,h-100,fo-right");
    expect(near(right.pixel(10, 10), green)).toBe(true);
    const left = await run("w-100,h-100,fo-left");
    expect(near(left.pixel(90, 90), blue)).toBe(true);
  });

  it("stretches with c-force and pads with cm-pad_resize in bg or white", async () => {
    const forced = await run("w-100,h-100,c-force");
    expect(near(forced.pixel(75, 25), green)).toBe(true);
    const padded = await run("w-100,h-100,cm-pad_resize");
    expect(padded.pixel(50, 5)).toEqual([255, 255, 255]);
    expect(near(padded.pixel(10, 40), red)).toBe(true);
    const black = await run("w-100,h-100,cm-pad_resize,bg-000000,fo-top");
    expect(near(black.pixel(10, 10), red)).toBe(true);
    expect(black.pixel(50, 95)).toEqual([0, 0, 0]);
  });

  it("extracts regions by coordinates, position and padding", async () => {
    expect(near((await run("w-50,h-50,cm-extract,x-150,y-0")).pixel(25, 25), green)).toBe(true);
    expect(near((await run("w-50,h-50,cm-extract,fo-bottom_left")).pixel(25, 25), blue)).toBe(true);
    const padded = await run("w-300,h-200,cm-pad_extract,bg-0000FF");
    expect(padded.pixel(5, 5)).toEqual([0, 0, 255]);
    expect(near(padded.pixel(60, 60), red)).toBe(true);
  });

  it("finds the interesting part for fo-auto and a face for fo-face", async () => {
    const square = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#f00" } })
      .png()
      .toBuffer();
    const scene = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#808080" } })
      .composite([{ input: square, left: 300, top: 200 }])
      .png()
      .toBuffer();
    const auto = await run("w-80,h-80,cm-extract,fo-auto", scene);
    expect(near(auto.pixel(40, 40), red, 40)).toBe(true);
    // A face locator (the real one is the crop tool's detector) pointing at the square.
    const wide = await sharp({ create: { width: 800, height: 200, channels: 3, background: "#808080" } })
      .composite([{ input: square, left: 700, top: 100 }])
      .png()
      .toBuffer();
    const locateFaces = async () => [{ x: 700, y: 100, width: 40, height: 40 }];
    const face = await run("w-100,h-100,fo-face", wide, { locateFaces });
    expect(face.result.focus).toBe("face");
    // Scaled by 1/2 to cover, the face (centre 360,60) ends up at 60,60 of the window.
    expect(near(face.pixel(60, 60), red, 40)).toBe(true);
    expect(near((await run("w-100,h-100", wide)).pixel(60, 60), [128, 128, 128])).toBe(true);
    const fallback = await run("w-100,h-100,fo-face", wide, { locateFaces: async () => [] });
    expect(fallback.result.focus).toBe("attention");
  });

  it("refuses outputs past the limits before doing the work", async () => {
    await expect(run("w-8000,dpr-2")).rejects.toMatchObject({ code: "invalid_transformation" });
    await expect(run("w-8000,h-8000,c-at_least")).rejects.toMatchObject({ code: "image_too_large" });
    await expect(run("w-10", quad, { limits: { ...limits, maxInputPixels: 100 } })).rejects.toMatchObject({
      code: "image_too_large",
    });
  });
});

describe("executeTransformation: formats, orientation and effects", () => {
  it.each([
    ["f-jpg", "jpeg"],
    ["f-png", "png"],
    ["f-webp", "webp"],
    ["f-avif", "heif"],
  ])("%s encodes %s", async (tr, format) => {
    const { result } = await run(tr);
    expect((await sharp(result.data).metadata()).format).toBe(format);
  });

  it("uses the quality", async () => {
    const low = await run("f-jpg,q-10", photo);
    const high = await run("f-jpg,q-95", photo);
    expect(low.result.data.length).toBeLessThan(high.result.data.length / 2);
  });

  it("rotates clockwise and flips, in that order", async () => {
    expect(near((await run("rt-90")).pixel(0, 0), blue)).toBe(true);
    expect(near((await run("rt-N90")).pixel(0, 0), green)).toBe(true);
    expect(near((await run("fl-h")).pixel(0, 0), green)).toBe(true);
    expect(near((await run("fl-v")).pixel(0, 0), blue)).toBe(true);
    expect(near((await run("fl-h_v")).pixel(0, 0), yellow)).toBe(true);
    // Rotate first, then mirror: the bottom-left (blue) goes top-left, then to the top-right.
    const both = await run("rt-90,fl-h");
    expect(both.size).toEqual([100, 200]);
    expect(near(both.pixel(99, 0), blue)).toBe(true);
    // A crop in the same step cuts the mirrored image (sharp would crop first, then mirror).
    const cut = await run("fl-h,w-50,h-50,cm-extract,x-0,y-0");
    expect(near(cut.pixel(0, 0), green)).toBe(true);
    expect(near(cut.pixel(49, 0), green)).toBe(true);
    const free = await run("rt-45");
    expect(free.size[0]).toBeGreaterThan(200);
    expect(free.alpha(0, 0)).toBe(0);
  });

  it("draws the border in its colour at the edge", async () => {
    const framed = await run("b-5_FF0000", await run("f-png").then((r) => r.result.data));
    expect(framed.size).toEqual([210, 110]);
    expect(framed.pixel(0, 0)).toEqual(red);
    expect(framed.pixel(2, 60)).toEqual(red);
    expect(near(framed.pixel(10, 60), blue)).toBe(true);
  });

  it("makes rounded corners transparent, or the background colour in JPEG", async () => {
    const round = await run("r-30");
    expect(round.alpha(0, 0)).toBe(0);
    expect(round.alpha(100, 50)).toBe(255);
    const circle = await run("w-100,h-100,r-max");
    expect(circle.alpha(5, 5)).toBe(0);
    expect(circle.alpha(50, 2)).toBe(255);
    const flat = await run("r-30,f-jpg");
    expect(near(flat.pixel(0, 0), [255, 255, 255], 40)).toBe(true);
    const rim = await run("r-30,b-4_00FF00");
    expect(rim.pixel(0, 0)).toEqual(green);
  });

  it("trims a uniform border", async () => {
    const block = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#f00" } })
      .png()
      .toBuffer();
    const framed = await sharp({ create: { width: 100, height: 80, channels: 3, background: "#fff" } })
      .composite([{ input: block, left: 30, top: 30 }])
      .png()
      .toBuffer();
    expect((await run("t-true", framed)).size).toEqual([40, 20]);
    expect((await run("t-true,w-20", framed)).size).toEqual([20, 10]);
  });

  it("grayscales, blurs and sharpens", async () => {
    const gray = await run("e-grayscale", photo);
    const [r, g, b] = await sharp(gray.result.data)
      .toColourspace("srgb")
      .raw()
      .toBuffer()
      .then((d) => [d[3000], d[3001], d[3002]]);
    expect(r).toBe(g);
    expect(g).toBe(b);
    const stdev = async (data: Buffer) => (await sharp(data).stats()).channels[0]!.stdev;
    const original = await run("f-png", photo);
    const blurred = await run("bl-10", photo);
    const sharpened = await run("e-sharpen-60", photo);
    expect(await stdev(blurred.result.data)).toBeLessThan(await stdev(original.result.data));
    expect(blurred.result.data.equals(original.result.data)).toBe(false);
    expect(sharpened.result.data.equals(original.result.data)).toBe(false);
  });

  it("writes no metadata (EXIF, ICC, XMP) into any output", async () => {
    const tagged = await sharp(photo)
      .jpeg()
      .withMetadata({ exif: { IFD0: { Copyright: "someone", Artist: "someone" } } })
      .withIccProfile("p3")
      .toBuffer();
    const source = await sharp(tagged).metadata();
    expect(source.exif).toBeDefined();
    expect(source.icc).toBeDefined();
    for (const f of ["jpg", "png", "webp", "avif"]) {
      const meta = await sharp((await run(`w-100,f-${f}`, tagged)).result.data).metadata();
      expect({ exif: meta.exif, icc: meta.icc, xmp: meta.xmp }).toEqual({
        exif: undefined,
        icc: undefined,
        xmp: undefined,
      });
    }
  });
});
