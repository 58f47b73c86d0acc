import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { blurImage, convertImage, grayscaleImage, sharpenImage } from "./filters";
import { flipImage, rotateImage } from "./geometry";
import { repairImage } from "./repair";
import { retouchImage } from "./retouch";
import { addBorder, roundCorners, trimImage } from "./shape";

const tools = {
  rotate: (b: Buffer) => rotateImage(b, { angle: 33 }),
  flip: (b: Buffer) => flipImage(b, { direction: "both" }),
  convert: (b: Buffer) => convertImage(b, { format: "webp" }),
  blur: (b: Buffer) => blurImage(b, {}),
  sharpen: (b: Buffer) => sharpenImage(b, {}),
  grayscale: grayscaleImage,
  border: (b: Buffer) => addBorder(b, { width: 2 }),
  "rounded-corners": (b: Buffer) => roundCorners(b, { radius: "max" }),
  trim: (b: Buffer) => trimImage(b, {}),
  retouch: (b: Buffer) => retouchImage(b, { strength: 100 }),
  repair: (b: Buffer) => repairImage(b, { strength: 100 }),
};

// Edge cases that break filter windows: slivers, single pixels, grey with alpha.
const inputs = {
  "1×1": () =>
    sharp({ create: { width: 1, height: 1, channels: 3, background: "#808080" } })
      .png()
      .toBuffer(),
  "2×3 with alpha": () =>
    sharp({ create: { width: 2, height: 3, channels: 4, background: "#80808080" } })
      .png()
      .toBuffer(),
  "3×3": () =>
    sharp({ create: { width: 3, height: 3, channels: 3, background: "#123456" } })
      .jpeg()
      .toBuffer(),
  "grey with alpha": () =>
    sharp({ create: { width: 40, height: 30, channels: 4, background: "#40404080" } })
      .greyscale()
      .png()
      .toBuffer(),
};

describe("every adjust tool on awkward inputs", () => {
  for (const [inputName, make] of Object.entries(inputs)) {
    it(`handles ${inputName}`, async () => {
      const input = await make();
      for (const [toolName, tool] of Object.entries(tools)) {
        const output = await tool(input).catch((error: Error) => {
          throw new Error(`${toolName} on ${inputName}: ${error.message}`);
        });
        const meta = await sharp(output.data).metadata();
        expect([meta.width, meta.height], toolName).toEqual([output.width, output.height]);
      }
    });
  }
});
