import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { isProviderError } from "./errors";
import {
  checkVendorImage,
  closestRatio,
  cropToAspectRatio,
  prepareVendorImage,
  styleInstruction,
} from "./image-request";

const coffee = readFileSync("tests/fixtures/images/coffee.png");

describe("prepareVendorImage", () => {
  it("sends a small PNG, JPEG or WebP untouched", async () => {
    const prepared = await prepareVendorImage(coffee);
    expect(prepared.data).toBe(coffee);
    expect(prepared).toMatchObject({ mime: "image/png", width: 600, height: 400 });
  });

  it("shrinks a large photo to 2048 px as JPEG, and a transparent AVIF to PNG", async () => {
    const large = await sharp({ create: { width: 4000, height: 1000, channels: 3, background: "#808080" } })
      .png()
      .toBuffer();
    const shrunk = await prepareVendorImage(large);
    expect(shrunk).toMatchObject({ mime: "image/jpeg", width: 2048, height: 512 });
    expect(await sharp(shrunk.data).metadata()).toMatchObject({ format: "jpeg", width: 2048, height: 512 });

    const avif = await sharp({
      create: { width: 64, height: 48, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } },
    })
      .avif()
      .toBuffer();
    const converted = await prepareVendorImage(avif);
    expect(converted).toMatchObject({ mime: "image/png", width: 64, height: 48 });
    expect(await sharp(converted.data).metadata()).toMatchObject({ format: "png", hasAlpha: true });
  });

  it("turns an EXIF-rotated photo upright, since vendors ignore the tag", async () => {
    const sideways = await sharp({ create: { width: 60, height: 20, channels: 3, background: "#336699" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const prepared = await prepareVendorImage(sideways);
    expect(prepared).toMatchObject({ width: 20, height: 60 });
    expect(await sharp(prepared.data).metadata()).toMatchObject({ width: 20, height: 60 });
  });
});

describe("ratios and crops", () => {
  it("picks the nearest ratio on a log scale", () => {
    expect(closestRatio(1600, 900, ["1:1", "3:2", "2:3"])).toBe("3:2");
    expect(closestRatio(900, 1600, ["1:1", "3:2", "2:3"])).toBe("2:3");
    expect(closestRatio(1100, 1000, ["1:1", "3:2", "2:3"])).toBe("1:1");
  });

  it("center-crops to the asked ratio and leaves a matching image alone", async () => {
    const wide = await sharp({ create: { width: 1536, height: 1024, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    expect(await sharp(await cropToAspectRatio(wide, "16:9")).metadata()).toMatchObject({ width: 1536, height: 864 });
    expect(await cropToAspectRatio(wide, "3:2")).toBe(wide);
  });
});

describe("checkVendorImage", () => {
  it("passes an image and calls anything else a malformed answer", async () => {
    await expect(checkVendorImage(coffee)).resolves.toBe(coffee);
    const failure = await checkVendorImage(Buffer.from("<html>gateway error</html>")).catch((error: unknown) => error);
    expect(isProviderError(failure) && failure.failure).toBe("malformed");
  });
});

describe("styleInstruction", () => {
  it("adds words only when the strength asks to stay close or to move far", () => {
    expect(styleInstruction("As a watercolour.")).toBe("As a watercolour.");
    expect(styleInstruction("As a watercolour.", 0.7)).toBe("As a watercolour.");
    expect(styleInstruction("As a watercolour.", 0.2)).toContain("Stay very close to the original");
    expect(styleInstruction("As a watercolour.", 0.95)).toContain("reinterpret");
  });
});
