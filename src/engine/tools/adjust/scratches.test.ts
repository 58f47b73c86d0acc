import { describe, expect, it } from "vitest";
import { decodeRgb } from "./raw";
import { changedPixels, drawScratches, meanError } from "./scratch-test-image";
import { fillScratches } from "./scratches";
import { fixture } from "./test-helpers";

describe("scratch fill", () => {
  it.each(["camera.png", "chelsea.png", "coffee.png"])(
    "removes scratches drawn on %s and leaves the rest",
    async (name) => {
      const clean = await decodeRgb(fixture(name));
      const damaged = await decodeRgb(await drawScratches(fixture(name)));
      const region = changedPixels(clean.rgb, damaged.rgb);
      expect(region.length).toBeGreaterThan(500);
      const before = meanError(clean.rgb, damaged.rgb, region);

      const filled = await fillScratches(damaged.rgb, damaged.width, damaged.height);
      const after = meanError(clean.rgb, damaged.rgb, region);
      expect(filled).toBeGreaterThan(region.length);
      expect(before).toBeGreaterThan(80);
      expect(after).toBeLessThan(before / 4);

      // Outside the scratches the photo is (nearly) untouched: texture is not mistaken for damage.
      const inRegion = new Set(region);
      const rest = [...Array(clean.width * clean.height).keys()].filter((i) => !inRegion.has(i));
      expect(meanError(clean.rgb, damaged.rgb, rest)).toBeLessThan(1.5);
    },
  );

  it("finds nothing to fill in a smooth image", async () => {
    const smooth = await decodeRgb(await import("./test-helpers").then((h) => h.solid(64, 64, "#808080")));
    expect(await fillScratches(smooth.rgb, 64, 64)).toBe(0);
  });
});
