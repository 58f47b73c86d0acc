import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { maskIoU } from "./cutout";
import { encodeCutout, removeBackground } from "./remove-background";
import { composite, goldenComposite, referenceCutout } from "./test-composite";

async function expectNoMetadata(data: Buffer) {
  const meta = await sharp(data).metadata();
  expect(meta.exif).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
}

describe("removeBackground", () => {
  it("turns an EXIF-rotated JPEG with metadata into an upright PNG cut-out without metadata", async () => {
    const { image, mask } = await goldenComposite();
    // Stored landscape, displayed portrait (orientation 6 = rotate 90° clockwise), with EXIF and ICC.
    const jpeg = await sharp(image)
      .withMetadata({ orientation: 6 })
      .withIccProfile("p3")
      .jpeg({ quality: 92 })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();

    const output = await removeBackground(jpeg);
    expect(output).toMatchObject({ mime: "image/png", ext: "png", width: composite.height, height: composite.width });
    expect(output.meta).toMatchObject({ quality: "standard", subjectFound: true });
    const meta = await sharp(output.data).metadata();
    expect(meta).toMatchObject({ format: "png", hasAlpha: true, channels: 4 });
    await expectNoMetadata(output.data);

    const alpha = await sharp(output.data).extractChannel(3).raw().toBuffer();
    const upright = await sharp(mask, { raw: { width: composite.width, height: composite.height, channels: 1 } })
      .rotate(90)
      .extractChannel(0)
      .raw()
      .toBuffer();
    expect(maskIoU(alpha, upright)).toBeGreaterThanOrEqual(0.9);
  });
});

describe("encodeCutout", () => {
  it("writes the mask alone as a one-channel PNG", async () => {
    const cutout = await referenceCutout();
    const output = await encodeCutout(cutout, { output: "mask" });
    expect(await sharp(output.data).metadata()).toMatchObject({ format: "png", channels: 1, hasAlpha: false });
    const { data, info } = await sharp(output.data).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: composite.width, height: composite.height });
    expect(maskIoU(data, cutout.mask.data)).toBe(1);
    await expectNoMetadata(output.data);
  });

  it("writes a WebP with an exact alpha channel", async () => {
    const cutout = await referenceCutout();
    const output = await encodeCutout(cutout, { format: "webp", quality: "pro" });
    expect(output).toMatchObject({ mime: "image/webp", ext: "webp", width: composite.width, height: composite.height });
    expect(output.meta).toMatchObject({ quality: "pro", subjectFound: true });
    expect(await sharp(output.data).metadata()).toMatchObject({ format: "webp", hasAlpha: true });
    const alpha = await sharp(output.data).extractChannel(3).raw().toBuffer();
    expect(maskIoU(alpha, cutout.mask.data)).toBeGreaterThan(0.99);
    await expectNoMetadata(output.data);
  });

  it("says when no subject was found", async () => {
    const cutout = await referenceCutout();
    cutout.mask.data.fill(0);
    const output = await encodeCutout(cutout, {});
    expect(output.meta).toMatchObject({ subjectFound: false });
  });
});
