import { describe, expect, it } from "vitest";
import {
  contains,
  faceFocusPoint,
  headshotSquare,
  isSaneAspect,
  largestCrop,
  outputSize,
  parseAspect,
  placeCrop,
  requestedAspect,
} from "./geometry";

const face = (x: number, y: number, size: number) => ({ x, y, width: size, height: size, score: 0.9 });

describe("crop geometry", () => {
  it("parses and reduces aspect ratios, refusing nonsense", () => {
    expect(parseAspect("16:9")).toEqual({ width: 16, height: 9 });
    expect(parseAspect("1584:396")).toEqual({ width: 4, height: 1 });
    expect(() => parseAspect("16/9")).toThrow();
    expect(["1:1", "4:5", "16:9", "20:1"].every(isSaneAspect)).toBe(true);
    expect(["0:1", "21:1", "1:21", "a:b", "1.5:1", ""].some(isSaneAspect)).toBe(false);
  });

  it("finds the largest crop of exactly the asked aspect", () => {
    expect(largestCrop(512, 512, parseAspect("16:9"))).toEqual({ width: 512, height: 288 });
    expect(largestCrop(512, 512, parseAspect("4:5"))).toEqual({ width: 408, height: 510 });
    expect(largestCrop(600, 400, parseAspect("1:1"))).toEqual({ width: 400, height: 400 });
    expect(largestCrop(1000, 872, parseAspect("9:16"))).toEqual({ width: 486, height: 864 });
    // Terms larger than the image: the nearest whole-pixel size instead.
    expect(largestCrop(300, 200, parseAspect("997:991"))).toEqual({ width: 201, height: 200 });
  });

  it("derives the output size from width, height or the crop", () => {
    const aspect = parseAspect("16:9");
    expect(outputSize({ width: 512, height: 288 }, {}, aspect)).toEqual({ width: 512, height: 288 });
    expect(outputSize({ width: 512, height: 288 }, { width: 320 }, aspect)).toEqual({ width: 320, height: 180 });
    expect(outputSize({ width: 512, height: 288 }, { height: 90 }, aspect)).toEqual({ width: 160, height: 90 });
    expect(requestedAspect({ width: 300, height: 200, aspect: "1:1" })).toEqual({ width: 3, height: 2 });
    expect(requestedAspect({})).toEqual({ width: 1, height: 1 });
  });

  it("places a crop on its focus and keeps it inside the image", () => {
    const image = { width: 1000, height: 500 };
    expect(placeCrop(image, { width: 400, height: 400 }, { x: 500, y: 250 })).toEqual({
      left: 300,
      top: 50,
      width: 400,
      height: 400,
    });
    expect(placeCrop(image, { width: 400, height: 400 }, { x: 10, y: 490 })).toEqual({
      left: 0,
      top: 100,
      width: 400,
      height: 400,
    });
    expect(placeCrop(image, { width: 400, height: 400 }, { x: 990, y: 0 }, { x: 0.5, y: 0.4 })).toMatchObject({
      left: 600,
      top: 0,
    });
  });

  it("centres on all faces when they fit, else on the largest", () => {
    const faces = [face(100, 100, 50), face(300, 100, 40)];
    expect(faceFocusPoint(faces, { width: 400, height: 300 })).toEqual({ x: 220, y: 125 });
    expect(faceFocusPoint(faces, { width: 200, height: 200 })).toEqual({ x: 125, y: 125 });
  });

  it("frames head and shoulders around a face, within the image", () => {
    const image = { width: 512, height: 512 };
    const square = headshotSquare(face(174, 76, 104), image);
    expect(square.width).toBe(square.height);
    expect(square.width).toBe(333);
    expect(contains(square, face(174, 76, 104))).toBe(true);
    expect(square.top).toBe(0); // 40% headroom would reach above the photo: clamped
    const small = headshotSquare(face(10, 10, 200), { width: 300, height: 240 });
    expect(small).toEqual({ left: 0, top: 0, width: 240, height: 240 });
  });
});
