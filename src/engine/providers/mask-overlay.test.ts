import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { prepareVendorImage } from "./image-request";
import { binaryMask, blendMasked, markMaskedArea } from "./mask-overlay";

const coffee = readFileSync("tests/fixtures/images/coffee.png"); // 600x400 RGB
const horse = readFileSync("tests/fixtures/images/horse.png"); // 400x328 RGBA
const camera = readFileSync("tests/fixtures/images/camera.png"); // 512x512 grey

async function raw(image: Buffer) {
  return sharp(image).raw().toBuffer({ resolveWithObject: true });
}

/** Black with a white square at (left, top). */
async function squareMask(width: number, height: number, left: number, top: number, size: number, background = "#000") {
  const white = await sharp({ create: { width: size, height: size, channels: 3, background: "#fff" } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 4, background } })
    .composite([{ input: white, left, top }])
    .png()
    .toBuffer();
}

describe("binaryMask", () => {
  it("thresholds grey at the middle, scales to the image and reads a transparent background as keep", async () => {
    const grey = await sharp({ create: { width: 4, height: 1, channels: 3, background: "#000" } })
      .composite([
        {
          input: Buffer.from([100, 100, 100, 127, 127, 127, 128, 128, 128, 250, 250, 250]),
          raw: { width: 4, height: 1, channels: 3 },
        },
      ])
      .png()
      .toBuffer();
    expect([...(await binaryMask(grey, 4, 1))]).toEqual([0, 0, 255, 255]);

    const transparent = await squareMask(100, 100, 0, 0, 50, "#00000000");
    const scaled = await binaryMask(transparent, 200, 50);
    expect(scaled.length).toBe(200 * 50);
    expect(scaled[10 * 200 + 10]).toBe(255);
    expect(scaled[40 * 200 + 190]).toBe(0);
  });
});

describe("markMaskedArea", () => {
  it("tints the area to change magenta, draws a solid line around it and leaves the rest alone", async () => {
    const image = await prepareVendorImage(coffee);
    const marked = await markMaskedArea(image, await squareMask(600, 400, 200, 100, 100));
    expect(await sharp(marked).metadata()).toMatchObject({ format: "png", width: 600, height: 400 });
    const out = await raw(marked);
    const original = await raw(coffee);
    const at = (data: Buffer, channels: number, x: number, y: number) => [
      ...data.subarray((y * 600 + x) * channels, (y * 600 + x) * channels + 3),
    ];
    // Inside: 45% magenta over the photo, so the model still sees what is there.
    const [r0, g0, b0] = at(original.data, original.info.channels, 250, 150);
    const [r, g, b] = at(out.data, out.info.channels, 250, 150);
    expect(r).toBeCloseTo(r0! + (255 - r0!) * 0.45, -1);
    expect(g).toBeCloseTo(g0! * 0.55, -1);
    expect(b).toBeCloseTo(b0! + (255 - b0!) * 0.45, -1);
    // Just outside the square: the outline, pure magenta.
    expect(at(out.data, out.info.channels, 199, 150)).toEqual([255, 0, 255]);
    expect(at(out.data, out.info.channels, 250, 201)).toEqual([255, 0, 255]);
    expect(at(out.data, out.info.channels, 250, 203)).toEqual(at(original.data, original.info.channels, 250, 203));
    // Far away: the photo.
    expect(at(out.data, out.info.channels, 20, 20)).toEqual(at(original.data, original.info.channels, 20, 20));
  });
});

describe("blendMasked", () => {
  async function flat(width: number, height: number, colour: string) {
    return sharp({ create: { width, height, channels: 3, background: colour } })
      .png()
      .toBuffer();
  }

  it("takes the vendor's pixels inside the mask only: every pixel outside keeps its exact value", async () => {
    // The vendor answered at another size (as gpt-image and Gemini do): it is scaled to the photo.
    const generated = await flat(1536, 1024, "#00ff00");
    const mask = await squareMask(300, 200, 50, 40, 60); // half the photo's size: scaled up to 100..220 x 80..200
    const blended = await blendMasked(coffee, generated, mask);
    const out = await raw(blended);
    const original = await raw(coffee);
    const inside = await binaryMask(mask, 600, 400);
    expect(out.info).toMatchObject({ width: 600, height: 400, channels: 3 });
    let changedOutside = 0;
    for (let i = 0; i < inside.length; i++) {
      if (inside[i]) continue;
      for (let c = 0; c < 3; c++) if (out.data[i * 3 + c] !== original.data[i * 3 + c]) changedOutside++;
    }
    expect(changedOutside).toBe(0);
    // Deep inside: the vendor's green; at the mask's edge: a feathered mix of both.
    expect([...out.data.subarray((140 * 600 + 160) * 3, (140 * 600 + 160) * 3 + 3)]).toEqual([0, 255, 0]);
    const edge = (80 * 600 + 160) * 3 + 1;
    expect(out.data[edge]).toBeGreaterThan(original.data[edge]!);
    expect(out.data[edge]).toBeLessThan(255);
  });

  it("keeps transparency and grey photos, and the photo's own size", async () => {
    const rgba = await raw(
      await blendMasked(horse, await flat(1024, 840, "#ff0000"), await squareMask(400, 328, 0, 0, 100)),
    );
    expect(rgba.info).toMatchObject({ width: 400, height: 328, channels: 4 });
    const horseRaw = await raw(horse);
    const far = (300 * 400 + 350) * 4;
    expect([...rgba.data.subarray(far, far + 4)]).toEqual([...horseRaw.data.subarray(far, far + 4)]);
    expect([...rgba.data.subarray((50 * 400 + 50) * 4, (50 * 400 + 50) * 4 + 4)]).toEqual([255, 0, 0, 255]);

    const grey = await raw(
      await blendMasked(camera, await flat(1024, 1024, "#ffffff"), await squareMask(512, 512, 0, 0, 64)),
    );
    expect(grey.info).toMatchObject({ width: 512, height: 512 });
    const cameraRaw = await raw(camera);
    expect(grey.data[(400 * 512 + 400) * grey.info.channels]).toBe(
      cameraRaw.data[(400 * 512 + 400) * cameraRaw.info.channels],
    );
  });
});
