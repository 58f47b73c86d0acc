import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { fixture, jpegWithMetadata, metadataOf } from "../crop/test-images";
import { maxAiInputPixels, upscaleImage } from "./upscale";

const coffee = fixture("coffee.png");

describe("upscaleImage", () => {
  it.each([2, 4] as const)("classic %ix: exactly scale× the size, format kept", async (scale) => {
    const out = await upscaleImage(coffee, { scale });
    expect(out).toMatchObject({ width: 600 * scale, height: 400 * scale, mime: "image/png" });
    expect(out.meta).toEqual({ method: "classic", scale });
    expect(await sharp(out.data).metadata()).toMatchObject({ width: 600 * scale, height: 400 * scale });
  });

  it("carries no metadata out of a JPEG with EXIF and an ICC profile, orientation applied", async () => {
    // Stored sideways (80×120) with the tag that turns it back to 120×80.
    const small = await sharp(coffee).resize(120, 80).toBuffer();
    const input = await jpegWithMetadata(await sharp(small).rotate(90).toBuffer(), 8);
    for (const method of ["classic", "ai"] as const) {
      const out = await upscaleImage(input, { scale: 2, method });
      expect(out).toMatchObject({ width: 240, height: 160, mime: "image/jpeg" });
      expect(await metadataOf(out.data)).toEqual({
        exif: undefined,
        xmp: undefined,
        iptc: undefined,
        icc: undefined,
        orientation: undefined,
      });
    }
  });

  it("AI 2x restores more of the original than Lanczos does", async () => {
    // Halve a 128 px crop of a real photo, upscale it back, compare with the original crop.
    const original = await sharp(fixture("astronaut.png"))
      .extract({ left: 160, top: 60, width: 128, height: 128 })
      .png()
      .toBuffer();
    const small = await sharp(original).resize(64, 64, { kernel: "lanczos3" }).png().toBuffer();
    const ai = await upscaleImage(small, { scale: 2, method: "ai" });
    expect(ai).toMatchObject({ width: 128, height: 128 });
    expect(ai.meta).toMatchObject({ method: "ai", model: "esrgan-slim-x2", scale: 2 });
    const lanczos = await sharp(small).resize(128, 128, { kernel: "lanczos3" }).png().toBuffer();
    const [psnrAi, psnrLanczos] = [await psnr(original, ai.data), await psnr(original, lanczos)];
    expect(psnrAi).toBeGreaterThan(psnrLanczos + 0.5);
  });

  it("AI 4x keeps transparency", async () => {
    const input = await sharp(fixture("astronaut.png")).resize(48, 48).ensureAlpha(0.5).png().toBuffer();
    const out = await upscaleImage(input, { scale: 4, method: "ai" });
    expect(out).toMatchObject({ width: 192, height: 192, mime: "image/png" });
    const meta = await sharp(out.data).metadata();
    expect(meta.hasAlpha).toBe(true);
    const { data } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    expect(Math.abs(data[3]! - 128)).toBeLessThan(3);
  });

  it("reads 16-bit and greyscale PNGs", async () => {
    const deep = await sharp(fixture("astronaut.png")).resize(40, 40).toColourspace("rgb16").png().toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe("ushort");
    const grey = await sharp(fixture("astronaut.png")).resize(40, 40).greyscale().png().toBuffer();
    for (const input of [deep, grey]) {
      const out = await upscaleImage(input, { scale: 2, method: "ai" });
      expect(out).toMatchObject({ width: 80, height: 80 });
      const { data } = await sharp(out.data).resize(1, 1).raw().toBuffer({ resolveWithObject: true });
      expect(data[0]).toBeGreaterThan(40); // a real picture, not bytes read at the wrong depth
    }
  });

  it("takes the classic path for inputs too large for AI, and says so", async () => {
    const input = await sharp({ create: { width: 1200, height: 1000, channels: 3, background: "#345678" } })
      .jpeg()
      .toBuffer();
    expect(1200 * 1000).toBeGreaterThan(maxAiInputPixels);
    const out = await upscaleImage(input, { scale: 2, method: "ai" });
    expect(out).toMatchObject({ width: 2400, height: 2000 });
    expect(out.meta).toMatchObject({ method: "classic", requestedMethod: "ai" });
  });

  it("refuses outputs past 8000 px a side or 40 MP before doing any work", async () => {
    const wide = await sharp({ create: { width: 2001, height: 10, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    await expect(upscaleImage(wide, { scale: 4 })).rejects.toMatchObject({ code: "image_too_large" });
    const big = await sharp({ create: { width: 3200, height: 3200, channels: 3, background: "#000" } })
      .jpeg()
      .toBuffer();
    await expect(upscaleImage(big, { scale: 2 })).rejects.toMatchObject({ code: "image_too_large" });
    await expect(upscaleImage(wide, { scale: 3 as 2 })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("stops between tiles when the step's time is up", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(upscaleImage(coffee, { scale: 2, method: "ai" }, { signal: controller.signal })).rejects.toThrow();
  });
});

async function psnr(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < x!.length; i++) sum += (x![i]! - y![i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / x!.length));
}
