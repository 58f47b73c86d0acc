import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { blurImage, grayscaleImage, sharpenImage } from "@/engine/tools/adjust/filters";
import { cropImage, flipImage, rotateImage } from "@/engine/tools/adjust/geometry";
import { addBorder, roundCorners, trimImage } from "@/engine/tools/adjust/shape";
import { resizeImage } from "@/engine/tools/resize";
import type { ToolOutput } from "@/engine/tools/types";
import { executeTransformation } from "./execute-transformation";
import { parseTransformation } from "./parse-transformation";
import type { BasicStep } from "./transformation-types";

/**
 * A `/i/` step and the generator's local tool run the same image operation (src/engine/image-ops),
 * so they make the same pixels: a fix lands in both at once.
 */
const photo = readFileSync("tests/fixtures/images/chelsea.png");
const limits = { maxInputPixels: 40_000_000, maxOutputPixels: 40_000_000 };

async function pixels(image: Buffer) {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  return { data, size: [info.width, info.height, info.channels] };
}

async function viaUrl(tr: string, input: Buffer) {
  const steps = parseTransformation(tr).steps as BasicStep[];
  return (await executeTransformation({ input, steps, format: "png", limits })).data;
}

let framed: Buffer | undefined;
/** The photo on a wide white frame, for trim. */
async function framedPhoto(): Promise<Buffer> {
  framed ??= await sharp(photo).extend({ top: 20, bottom: 30, left: 25, right: 15, background: "#ffffff" }).png().toBuffer();
  return framed;
}

const cases: [string, (input: Buffer) => Promise<ToolOutput>, (() => Promise<Buffer>)?][] = [
  ["bl-5", (input) => blurImage(input, { sigma: 2.5 })],
  ["e-sharpen-30", (input) => sharpenImage(input, { sigma: 0.5 + 30 / 25, amount: 2 })],
  ["e-grayscale", (input) => grayscaleImage(input)],
  ["rt-90", (input) => rotateImage(input, { angle: 90 })],
  ["rt-N30", (input) => rotateImage(input, { angle: -30 })],
  ["fl-h", (input) => flipImage(input, { direction: "horizontal" })],
  ["fl-h_v", (input) => flipImage(input, { direction: "both" })],
  ["b-7_FF8800", (input) => addBorder(input, { width: 7, colour: "#ff8800" })],
  ["r-40", (input) => roundCorners(input, { radius: 40 })],
  ["r-max", (input) => roundCorners(input, { radius: "max" })],
  ["w-120,h-90,cm-extract,x-200,y-50", (input) => cropImage(input, { x: 200, y: 50, width: 120, height: 90 })],
  ["w-200,h-150,c-force", (input) => resizeImage(input, { width: 200, height: 150, fit: "fill" })],
  ["t-20", (input) => trimImage(input, { threshold: 20 }), framedPhoto],
];

describe("a /i/ step and the local tool give the same pixels", () => {
  it.each(cases)("%s", async (tr, tool, source) => {
    const input = source ? await source() : photo;
    const [url, generator] = await Promise.all([viaUrl(tr, input), tool(input).then((output) => output.data)]);
    const [a, b] = await Promise.all([pixels(url), pixels(generator)]);
    expect(a.size).toEqual(b.size);
    expect(a.data.equals(b.data)).toBe(true);
  });
});
