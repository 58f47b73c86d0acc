import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { retouchImage } from "./retouch";
import { expectNoMetadata, fixture, jpegWithMetadata } from "./test-helpers";

/** 1st and 99th percentile of the luma. */
async function lumaRange(image: Buffer): Promise<[number, number]> {
  const { data } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
  const sorted = Uint8Array.from(data).sort();
  return [sorted[Math.floor(sorted.length * 0.01)]!, sorted[Math.floor(sorted.length * 0.99)]!];
}

/** How far the channel means are from their common grey: 0 for a neutral image. */
async function castOf(image: Buffer): Promise<number> {
  const { channels } = await sharp(image).stats();
  const means = channels.slice(0, 3).map((c) => c.mean);
  const grey = (means[0]! + means[1]! + means[2]!) / 3;
  return Math.max(...means.map((m) => Math.abs(m - grey)));
}

describe("retouch", () => {
  it("stretches a washed-out photo towards the full range, more with more strength", async () => {
    const washed = await sharp(fixture("chelsea.png")).linear(0.45, 70).png().toBuffer();
    const [low, high] = await lumaRange(washed);
    expect(high - low).toBeLessThan(120);
    const half = await retouchImage(washed, { strength: 50 });
    const full = await retouchImage(washed, { strength: 100 });
    const [halfLow, halfHigh] = await lumaRange(half.data);
    const [fullLow, fullHigh] = await lumaRange(full.data);
    expect(halfHigh - halfLow).toBeGreaterThan(high - low + 40);
    expect(fullHigh - fullLow).toBeGreaterThan(215);
    expect(fullLow).toBeLessThan(15);
    expect(fullHigh).toBeGreaterThan(235);
    expect(full).toMatchObject({ mime: "image/png", width: 451, height: 300, meta: { strength: 100 } });
  });

  it("neutralises a colour cast (gray world)", async () => {
    const warm = await sharp(fixture("astronaut.png")).linear([1.1, 1, 0.78], [12, 0, 0]).png().toBuffer();
    const before = await castOf(warm);
    const after = await castOf((await retouchImage(warm, { strength: 100 })).data);
    expect(after).toBeLessThan(before * 0.6);
  });

  it("strength 0 leaves the pixels alone", async () => {
    const input = fixture("chelsea.png");
    const out = await retouchImage(input, { strength: 0 });
    const [a, b] = await Promise.all([input, out.data].map((image) => sharp(image).raw().toBuffer()));
    expect(a!.equals(b!)).toBe(true);
  });

  it("keeps transparency and the JPEG format, without metadata", async () => {
    const cutOut = await sharp(fixture("chelsea.png"))
      .ensureAlpha()
      .composite([
        {
          input: Buffer.from('<svg width="451" height="300"><rect width="100" height="300"/></svg>'),
          blend: "dest-out",
        },
      ])
      .png()
      .toBuffer();
    const out = await retouchImage(cutOut);
    const alpha = await sharp(out.data).extractChannel(3).raw().toBuffer();
    expect(alpha[10]).toBe(0);
    expect(alpha[200]).toBe(255);

    const jpeg = await retouchImage(await jpegWithMetadata(fixture("chelsea.png")));
    expect(jpeg).toMatchObject({ mime: "image/jpeg", ext: "jpg" });
    await expectNoMetadata(jpeg.data);
  });
});
