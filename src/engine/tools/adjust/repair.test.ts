import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { decodeRgb } from "./raw";
import { repairImage } from "./repair";
import { changedPixels, drawScratches, meanError } from "./scratch-test-image";
import { expectNoMetadata, fixture } from "./test-helpers";

async function contrastOf(image: Buffer): Promise<number> {
  const { channels } = await sharp(image).greyscale().stats();
  return channels[0]!.stdev;
}

describe("repair", () => {
  it("removes a scratch from a faded old photo: the result is close to repairing the undamaged one", async () => {
    // An "old print": the camera photo faded to low contrast, then scratched.
    const faded = await sharp(fixture("camera.png")).linear(0.55, 60).png().toBuffer();
    const scratched = await drawScratches(faded);
    const [clean, damaged] = await Promise.all([decodeRgb(faded), decodeRgb(scratched)]);
    const region = changedPixels(clean.rgb, damaged.rgb);

    const [fromClean, fromScratched] = await Promise.all([repairImage(faded), repairImage(scratched)]);
    const [repairedClean, repairedScratched] = await Promise.all([
      decodeRgb(fromClean.data),
      decodeRgb(fromScratched.data),
    ]);
    const before = meanError(clean.rgb, damaged.rgb, region);
    const after = meanError(repairedClean.rgb, repairedScratched.rgb, region);
    expect(after).toBeLessThan(before / 4);
    expect(fromScratched.meta).toMatchObject({ scratchPixelsFilled: expect.any(Number) });
    expect(fromScratched.meta!.scratchPixelsFilled).toBeGreaterThan(region.length);

    // Contrast comes back.
    expect(await contrastOf(fromClean.data)).toBeGreaterThan((await contrastOf(faded)) * 1.4);
    expect(fromClean).toMatchObject({ mime: "image/png", width: 512, height: 512 });
  });

  it("restores contrast without shifting colours, keeps JPEG, drops metadata", async () => {
    const faded = await sharp(fixture("coffee.png")).linear(0.5, 80).jpeg({ quality: 90 }).toBuffer();
    const out = await repairImage(faded, { strength: 70, scratches: false });
    expect(out).toMatchObject({ mime: "image/jpeg", width: 600, height: 400, meta: { scratchPixelsFilled: 0 } });
    expect(await contrastOf(out.data)).toBeGreaterThan((await contrastOf(faded)) * 1.4);
    // The coffee scene stays warm: red above green above blue, as in the original.
    const means = (await sharp(out.data).stats()).channels.map((c) => c.mean);
    expect(means[0]!).toBeGreaterThan(means[1]!);
    expect(means[1]!).toBeGreaterThan(means[2]!);
    await expectNoMetadata(out.data);
  });
});
