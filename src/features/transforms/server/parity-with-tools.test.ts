import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { imageTools, runImageTool } from "@/engine/image-ops";
import { executeTransformation } from "./execute-transformation";
import { parseTransformation } from "./parse-transformation";
import type { BasicStep } from "./transformation-types";

/**
 * A `/i/` step and the generator's local tool (the image tool the local provider serves, options
 * parsed by its schema) run the same image operation (src/engine/image-ops), so they make the
 * same pixels: a fix lands in both at once.
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
  framed ??= await sharp(photo)
    .extend({ top: 20, bottom: 30, left: 25, right: 15, background: "#ffffff" })
    .png()
    .toBuffer();
  return framed;
}

/** The local tool of that capability, as a generator step runs it. */
function tool(name: string, options: Record<string, unknown>) {
  const found = imageTools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no image tool ${name}`);
  return (input: Buffer) => runImageTool(found, input, options);
}

const cases: [string, ReturnType<typeof tool>, (() => Promise<Buffer>)?][] = [
  ["bl-5", tool("blur", { sigma: 2.5 })],
  ["e-sharpen-30", tool("sharpen", { sigma: 0.5 + 30 / 25 })],
  ["e-grayscale", tool("grayscale", {})],
  ["rt-90", tool("rotate", { angle: 90 })],
  ["rt-N30", tool("rotate", { angle: -30 })],
  ["fl-h", tool("flip", { direction: "horizontal" })],
  ["fl-h_v", tool("flip", { direction: "both" })],
  ["b-7_FF8800", tool("border", { width: 7, colour: "#ff8800" })],
  ["r-40", tool("rounded-corners", { radius: 40 })],
  ["r-max", tool("rounded-corners", { radius: "max" })],
  ["w-120,h-90,cm-extract,x-200,y-50", tool("crop", { x: 200, y: 50, width: 120, height: 90 })],
  ["w-200,h-150,c-force", tool("resize", { width: 200, height: 150, fit: "fill" })],
  ["t-20", tool("trim", { threshold: 20 }), framedPhoto],
];

describe("a /i/ step and the local tool give the same pixels", () => {
  it.each(cases)("%s", async (tr, runTool, source) => {
    const input = source ? await source() : photo;
    const [url, generator] = await Promise.all([viaUrl(tr, input), runTool(input).then((output) => output.data)]);
    const [a, b] = await Promise.all([pixels(url), pixels(generator)]);
    expect(a.size).toEqual(b.size);
    expect(a.data.equals(b.data)).toBe(true);
  });
});
