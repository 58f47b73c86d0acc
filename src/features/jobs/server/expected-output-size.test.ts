import { describe, expect, it } from "vitest";
import { expectedOutputSize } from "./expected-output-size";

const wide = { width: 1500, height: 1000 };

describe("expectedOutputSize", () => {
  it("resize: one side keeps the aspect, both follow fit (inside by default)", () => {
    expect(expectedOutputSize("resize", { width: 3000 }, wide)).toEqual({ width: 3000, height: 2000 });
    expect(expectedOutputSize("resize", { height: 500 }, wide)).toEqual({ width: 750, height: 500 });
    expect(expectedOutputSize("resize", { width: 2048, height: 2048 }, wide)).toEqual({ width: 2048, height: 1365 });
    expect(expectedOutputSize("resize", { width: 2048, height: 2048, fit: "outside" }, wide)).toEqual({
      width: 3072,
      height: 2048,
    });
    expect(expectedOutputSize("resize", { width: 300, height: 900, fit: "cover" }, wide)).toEqual({
      width: 300,
      height: 900,
    });
    expect(expectedOutputSize("resize", { format: "webp" }, wide)).toEqual(wide);
  });

  it("upscales multiply by the scale (2 by default); rotate grows to the bounding box; border adds its frame", () => {
    expect(expectedOutputSize("upscale", { scale: 4 }, wide)).toEqual({ width: 6000, height: 4000 });
    expect(expectedOutputSize("ai-upscale", {}, wide)).toEqual({ width: 3000, height: 2000 });
    expect(expectedOutputSize("rotate", { angle: 90 }, wide)).toEqual({ width: 1000, height: 1500 });
    expect(expectedOutputSize("rotate", { angle: 45 }, { width: 2000, height: 2000 })).toEqual({
      width: 2829,
      height: 2829,
    });
    expect(expectedOutputSize("border", { width: 100 }, wide)).toEqual({ width: 1700, height: 1200 });
  });

  it("other generators: the width and height they ask for, else unknown (the worker checks)", () => {
    expect(expectedOutputSize("smart-crop", { width: 4000, height: 1000 }, wide)).toEqual({
      width: 4000,
      height: 1000,
    });
    expect(expectedOutputSize("grayscale", {}, wide)).toBeUndefined();
    expect(expectedOutputSize("upscale", { scale: 2 }, undefined)).toBeUndefined();
  });
});
