import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { padForOutpaint, restoreOriginal } from "./outpaint-canvas";

const coffee = readFileSync("tests/fixtures/images/coffee.png");

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  // sharp hands out grey images as RGB: the first channel is the grey value.
  if ((await sharp(image).metadata()).channels === 1) return [data[(y * info.width + x) * info.channels]!];
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

describe("padForOutpaint", () => {
  it("grows each side by a fraction of the image and marks exactly the new border white in the mask", async () => {
    const { width, height } = await sharp(coffee).metadata(); // 600x400
    const padded = await padForOutpaint(coffee, { top: 0.025, right: 0.05, bottom: 0, left: 1 / 30 });

    expect(padded).toMatchObject({ width: width + 50, height: height + 10 });
    expect(padded.original).toEqual({ left: 20, top: 10, width, height });
    expect(await sharp(padded.image).metadata()).toMatchObject({
      format: "png",
      width: width + 50,
      height: height + 10,
    });

    const mask = await sharp(padded.mask).metadata();
    expect(mask).toMatchObject({ format: "png", width: width + 50, height: height + 10, channels: 1 });
    const { data } = await sharp(padded.mask).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    let white = 0;
    for (const value of data) {
      expect([0, 255]).toContain(value);
      if (value === 255) white++;
    }
    expect(white).toBe(padded.width * padded.height - width * height);
    expect(await pixel(padded.mask, 0, 0)).toEqual([255]); // top-left corner: new
    expect(await pixel(padded.mask, 19, 50)).toEqual([255]); // last new column on the left
    expect(await pixel(padded.mask, 20, 10)).toEqual([0]); // first pixel of the original
    expect(await pixel(padded.mask, 20 + width - 1, 10 + height - 1)).toEqual([0]); // its last
    expect(await pixel(padded.mask, 20 + width, 10 + height - 1)).toEqual([255]); // right border
  });

  it("keeps the original pixels in place and fills the border with its edge colours, not black", async () => {
    const red = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#d02010" } })
      .png()
      .toBuffer();
    const padded = await padForOutpaint(red, { top: 16 / 30, right: 0.4, bottom: 16 / 30, left: 0.4 }); // 16 px each
    expect(await pixel(padded.image, 16 + 20, 16 + 15)).toEqual([0xd0, 0x20, 0x10]);
    const corner = await pixel(padded.image, 0, 0);
    expect(corner[0]).toBeGreaterThan(180); // the red continues into the border
    expect(corner[2]).toBeLessThan(60);
  });

  it("refuses to shrink or to grow a side past three times the image, as a validation error", async () => {
    for (const top of [-0.1, 3.5, Number.NaN]) {
      const failure = await padForOutpaint(coffee, { top, right: 0, bottom: 0, left: 0 }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe("validation_failed");
    }
  });
});

describe("restoreOriginal", () => {
  it("scales a vendor's answer to the canvas and pastes the original back over its place", async () => {
    const red = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#d02010" } })
      .png()
      .toBuffer();
    const padded = await padForOutpaint(red, { top: 0, right: 1.5, bottom: 1 / 3, left: 0 }); // +60 px, +10 px
    const vendor = await sharp({ create: { width: 512, height: 256, channels: 3, background: "#0000ff" } })
      .png()
      .toBuffer();
    const restored = await restoreOriginal(vendor, padded, red);
    expect(await sharp(restored).metadata()).toMatchObject({ width: 100, height: 40 });
    expect(await pixel(restored, 5, 5)).toEqual([0xd0, 0x20, 0x10]);
    expect(await pixel(restored, 90, 35)).toEqual([0, 0, 255]);
  });
});
