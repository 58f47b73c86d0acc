import { describe, expect, it } from "vitest";
import { brushRadius, rasterizeMask } from "./mask";

const at = (pixels: Uint8ClampedArray, width: number, x: number, y: number) => [
  ...pixels.slice((y * width + x) * 4, (y * width + x) * 4 + 4),
];
const white = [255, 255, 255, 255];
const black = [0, 0, 0, 255];

describe("rasterizeMask", () => {
  it("is the image's size, opaque black where nothing was painted", () => {
    const pixels = rasterizeMask([], 7, 5);
    expect(pixels.length).toBe(7 * 5 * 4);
    for (let y = 0; y < 5; y++) for (let x = 0; x < 7; x++) expect(at(pixels, 7, x, y)).toEqual(black);
  });

  it("paints a dab as a white disc of the brush's radius", () => {
    const pixels = rasterizeMask([{ radius: 3, points: [{ x: 10, y: 10 }] }], 20, 20);
    expect(at(pixels, 20, 10, 10)).toEqual(white);
    expect(at(pixels, 20, 12, 10)).toEqual(white); // centre (12.5, 10.5): 2.5 px away
    expect(at(pixels, 20, 13, 10)).toEqual(black); // 3.5 px away
    expect(at(pixels, 20, 12, 12)).toEqual(black); // the corner of the bounding box is outside the disc
  });

  it("paints the whole capsule between the points of a stroke, and clips it at the edges", () => {
    const pixels = rasterizeMask(
      [
        {
          radius: 2,
          points: [
            { x: -5, y: 5 },
            { x: 30, y: 5 },
          ],
        },
      ],
      24,
      12,
    );
    for (let x = 0; x < 24; x++) {
      expect(at(pixels, 24, x, 5)).toEqual(white);
      expect(at(pixels, 24, x, 9)).toEqual(black);
    }
    const painted = [...Array(24 * 12).keys()].filter((i) => pixels[i * 4] === 255).length;
    // Rows 3..6 (centres 3.5..6.5 lie within 2 px of y = 5), full width.
    expect(painted).toBe(4 * 24);
  });
});

describe("brushRadius", () => {
  it("is a share of the longer side, at least one pixel", () => {
    expect(brushRadius(10, 1000, 400)).toBe(50);
    expect(brushRadius(10, 300, 1200)).toBe(60);
    expect(brushRadius(1, 20, 20)).toBe(1);
  });
});
