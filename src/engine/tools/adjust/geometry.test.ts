import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { AppError } from "@/server/errors";
import { cropImage, flipImage, rotateImage } from "./geometry";
import { expectNoMetadata, fixture, jpegWithMetadata, pixelAt } from "./test-helpers";

/** 40×20: left half red, right half blue, with a green pixel at the top-left corner. */
async function marked(format: "png" | "jpeg" = "png") {
  const half = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#0000ff" } })
    .png()
    .toBuffer();
  const dot = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#00ff00" } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 40, height: 20, channels: 3, background: "#ff0000" } })
    .composite([
      { input: half, left: 20, top: 0 },
      { input: dot, left: 0, top: 0 },
    ])
    .toFormat(format)
    .toBuffer();
}

describe("crop", () => {
  it("cuts the rectangle out and keeps the format", async () => {
    const out = await cropImage(await marked(), { x: 15, y: 5, width: 10, height: 8 });
    expect(out).toMatchObject({ width: 10, height: 8, mime: "image/png", ext: "png" });
    expect(await pixelAt(out.data, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(await pixelAt(out.data, 9, 7)).toEqual([0, 0, 255, 255]);
  });

  it("refuses an area outside the image with a validation error that says why", async () => {
    const error = await cropImage(await marked(), { x: 30, y: 0, width: 20, height: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "validation_failed" });
    expect((error as AppError).message).toMatch(/x \+ width \(50\) is more than the image width \(40\)/);
    expect((error as AppError).fields).toHaveProperty(["inputs.height"]);
  });

  it("drops EXIF and ICC from a JPEG", async () => {
    const out = await cropImage(await jpegWithMetadata(fixture("chelsea.png")), {
      x: 0,
      y: 0,
      width: 100,
      height: 100,
    });
    expect(out.mime).toBe("image/jpeg");
    await expectNoMetadata(out.data);
  });
});

describe("rotate", () => {
  it("turns by right angles clockwise without a background", async () => {
    const out = await rotateImage(await marked(), { angle: 90 });
    expect(out).toMatchObject({ width: 20, height: 40, mime: "image/png" });
    // The top-left corner went to the top-right, the red half to the top.
    expect(await pixelAt(out.data, 19, 0)).toEqual([0, 255, 0, 255]);
    expect(await pixelAt(out.data, 10, 10)).toEqual([255, 0, 0, 255]);
    expect(await pixelAt(out.data, 10, 30)).toEqual([0, 0, 255, 255]);
    expect(await rotateImage(await marked(), { angle: -270 }).then((o) => o.width)).toBe(20);
  });

  it("fills the corners of other angles with the background colour", async () => {
    const out = await rotateImage(await marked("jpeg"), { angle: 45, background: "#ffff00" });
    expect(out.mime).toBe("image/jpeg");
    expect(out.width).toBeGreaterThan(40);
    const corner = await pixelAt(out.data, 0, 0);
    expect(corner[0]).toBeGreaterThan(240);
    expect(corner[1]).toBeGreaterThan(240);
    expect(corner[2]).toBeLessThan(20);
  });

  it("makes transparent corners, turning a JPEG into a PNG", async () => {
    const out = await rotateImage(await marked("jpeg"), { angle: 30 });
    expect(out).toMatchObject({ mime: "image/png", ext: "png" });
    expect((await pixelAt(out.data, 0, 0))[3]).toBe(0);
    const centre = await pixelAt(out.data, Math.floor(out.width / 2), Math.floor(out.height / 2));
    expect(centre[3]).toBe(255);
    await expectNoMetadata(out.data);
  });
});

describe("flip", () => {
  it.each([
    ["horizontal", [39, 0]],
    ["vertical", [0, 19]],
    ["both", [39, 19]],
  ] as const)("%s moves the top-left pixel to %j", async (direction, [x, y]) => {
    const out = await flipImage(await marked(), { direction });
    expect(out).toMatchObject({ width: 40, height: 20 });
    expect(await pixelAt(out.data, x, y)).toEqual([0, 255, 0, 255]);
  });
});
