/** Width and height in pixels. */
import "server-only";
export type ImageSize = { width: number; height: number };

type Inputs = Record<string, unknown>;
type Rule = (inputs: Inputs, image: ImageSize | undefined) => ImageSize | undefined;

const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/** A size asked for outright (a canvas, a crop, a target): the fields `width` and `height`. */
const askedFor: Rule = (inputs) => {
  const width = num(inputs.width) ?? 0;
  const height = num(inputs.height) ?? 0;
  return width || height ? { width, height } : undefined;
};

/** sharp's resize: one side keeps the aspect; both sides follow `fit` (inside is the tool's default). */
const resized: Rule = (inputs, image) => {
  const width = num(inputs.width);
  const height = num(inputs.height);
  if (!image) return askedFor(inputs, image);
  if (width === undefined && height === undefined) return image;
  if (width === undefined || height === undefined) {
    const factor = width !== undefined ? width / image.width : height! / image.height;
    return { width: Math.round(image.width * factor), height: Math.round(image.height * factor) };
  }
  const fit = typeof inputs.fit === "string" ? inputs.fit : "inside";
  if (fit !== "inside" && fit !== "outside") return { width, height };
  const pick = fit === "inside" ? Math.min : Math.max;
  const factor = pick(width / image.width, height / image.height);
  return { width: Math.round(image.width * factor), height: Math.round(image.height * factor) };
};

/** Upscales: the image times `scale` (2 when not given, the schemas' default). */
const scaled: Rule = (inputs, image) => {
  if (!image) return undefined;
  const scale = num(inputs.scale) ?? 2;
  return { width: image.width * scale, height: image.height * scale };
};

/** Any angle but a right one grows the canvas to the rotated image's bounding box. */
const rotated: Rule = (inputs, image) => {
  if (!image) return undefined;
  const radians = ((num(inputs.angle) ?? 0) * Math.PI) / 180;
  const cos = Math.abs(Math.cos(radians));
  const sin = Math.abs(Math.sin(radians));
  // The small tolerance keeps float noise (cos 90° = 6e-17) from adding a pixel.
  const side = (value: number) => Math.ceil(value - 1e-6);
  return { width: side(image.width * cos + image.height * sin), height: side(image.width * sin + image.height * cos) };
};

/** A frame of `width` pixels on every side. */
const framed: Rule = (inputs, image) => {
  if (!image) return undefined;
  const frame = num(inputs.width) ?? 0;
  return { width: image.width + 2 * frame, height: image.height + 2 * frame };
};

/** The generators whose output size follows from their inputs in another way than `width`/`height`. */
const rules: Record<string, Rule> = {
  resize: resized,
  upscale: scaled,
  "ai-upscale": scaled,
  rotate: rotated,
  border: framed,
};

/**
 * The size a job's output will have, where its inputs tell (undefined where only running it
 * tells: the worker checks those before storing). `image` is the size of the job's input image.
 */
export function expectedOutputSize(
  generator: string,
  inputs: Inputs,
  image: ImageSize | undefined,
): ImageSize | undefined {
  return (rules[generator] ?? askedFor)(inputs, image);
}
