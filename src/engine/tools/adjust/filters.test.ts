import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { blurImage, convertImage, grayscaleImage, sharpenImage } from "./filters";
import { expectNoMetadata, fixture, jpegWithMetadata, pixelAt } from "./test-helpers";

/** Mean absolute difference between neighbouring pixels: higher means crisper. */
async function edgeEnergy(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 1; x < info.width; x++) sum += Math.abs(data[y * info.width + x]! - data[y * info.width + x - 1]!);
  }
  return sum / (info.height * (info.width - 1));
}

describe("convert", () => {
  it.each([
    ["jpeg", "image/jpeg", "jpg"],
    ["png", "image/png", "png"],
    ["webp", "image/webp", "webp"],
    ["avif", "image/avif", "avif"],
  ] as const)("writes %s", async (format, mime, ext) => {
    const out = await convertImage(await jpegWithMetadata(fixture("chelsea.png")), { format, quality: 60 });
    expect(out).toMatchObject({ mime, ext, width: 451, height: 300 });
    expect((await sharp(out.data).metadata()).format).toBe(format === "avif" ? "heif" : format);
    await expectNoMetadata(out.data);
  });

  it("quality changes the size", async () => {
    const low = await convertImage(fixture("chelsea.png"), { format: "jpeg", quality: 20 });
    const high = await convertImage(fixture("chelsea.png"), { format: "jpeg", quality: 95 });
    expect(low.data.length).toBeLessThan(high.data.length / 2);
  });

  it("flattens transparency onto the background for JPEG", async () => {
    const clear = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const out = await convertImage(clear, { format: "jpeg", background: "#00ff00" });
    const [r, g, b] = await pixelAt(out.data, 4, 4);
    expect(g).toBeGreaterThan(240);
    expect(r! + b!).toBeLessThan(30);
  });
});

describe("blur and sharpen", () => {
  it("blur softens edges, more with a larger sigma", async () => {
    const input = fixture("chelsea.png");
    const original = await edgeEnergy(input);
    const light = await blurImage(input, { sigma: 1 });
    const heavy = await blurImage(input, { sigma: 6 });
    expect(light).toMatchObject({ width: 451, height: 300, mime: "image/png" });
    expect(await edgeEnergy(light.data)).toBeLessThan(original);
    expect(await edgeEnergy(heavy.data)).toBeLessThan((await edgeEnergy(light.data)) / 2);
  });

  it("sharpen crispens edges, more with a larger amount", async () => {
    const input = await blurImage(fixture("chelsea.png"), { sigma: 1.5 }).then((o) => o.data);
    const soft = await edgeEnergy(input);
    const some = await sharpenImage(input, { sigma: 1, amount: 1 });
    const more = await sharpenImage(input, { sigma: 1, amount: 6 });
    expect(await edgeEnergy(some.data)).toBeGreaterThan(soft);
    expect(await edgeEnergy(more.data)).toBeGreaterThan(await edgeEnergy(some.data));
    await expectNoMetadata(more.data);
  });
});

describe("grayscale", () => {
  it("leaves no colour and keeps transparency", async () => {
    const input = await sharp(fixture("chelsea.png")).ensureAlpha(0.5).webp({ lossless: true }).toBuffer();
    const out = await grayscaleImage(input);
    expect(out).toMatchObject({ mime: "image/webp", width: 451 });
    const { data } = await sharp(out.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < data.length; i += 4 * 97) {
      expect(Math.abs(data[i]! - data[i + 1]!)).toBeLessThanOrEqual(1);
      expect(Math.abs(data[i + 1]! - data[i + 2]!)).toBeLessThanOrEqual(1);
      expect(Math.abs(data[i + 3]! - 128)).toBeLessThanOrEqual(1);
    }
  });
});
