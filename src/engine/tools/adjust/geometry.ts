import { sharp } from "../../sharp";
import { AppError } from "@/server/errors";
import type { ToolOutput } from "../types";
import { isOpaque, parseColour } from "./colour";
import { encodeImage, formatWithAlpha, keptFormat } from "../encode";

export type CropOptions = { x: number; y: number; width: number; height: number };

/** Cuts a rectangle out, in pixels from the top left; the rectangle must lie inside the image. */
export async function cropImage(input: Buffer, options: CropOptions): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error" });
  const meta = await source.metadata();
  const { x, y, width, height } = options;
  const fields: Record<string, string[]> = {};
  // Only known at run time: the schema cannot see the image, so the job fails with the reason.
  if (x + width > meta.width) {
    fields["inputs.width"] = [`x + width (${x + width}) is more than the image width (${meta.width})`];
  }
  if (y + height > meta.height) {
    fields["inputs.height"] = [`y + height (${y + height}) is more than the image height (${meta.height})`];
  }
  const reasons = Object.values(fields).flat();
  if (reasons.length > 0) {
    throw new AppError("validation_failed", { message: `the crop area is outside the image: ${reasons.join("; ")}`, fields });
  }
  return encodeImage(source.extract({ left: x, top: y, width, height }), keptFormat(meta.format));
}

export type RotateOptions = { angle: number; background?: string };

/**
 * Rotates clockwise by any angle. Right angles are lossless in geometry; other angles grow the
 * canvas and fill the corners with the background (transparent by default, so JPEG becomes PNG).
 */
export async function rotateImage(input: Buffer, options: RotateOptions): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error" });
  const meta = await source.metadata();
  const angle = ((options.angle % 360) + 360) % 360;
  const background = parseColour(options.background ?? "transparent");
  const rightAngle = angle % 90 === 0;
  const format = rightAngle || isOpaque(background) ? keptFormat(meta.format) : formatWithAlpha(keptFormat(meta.format));
  const pipeline = angle === 0 ? source : source.rotate(angle, { background });
  return encodeImage(pipeline, format);
}

export const flipDirections = ["horizontal", "vertical", "both"] as const;
export type FlipOptions = { direction: (typeof flipDirections)[number] };

/** Mirrors left-right (horizontal), top-bottom (vertical) or both. */
export async function flipImage(input: Buffer, options: FlipOptions): Promise<ToolOutput> {
  let pipeline = sharp(input, { failOn: "error" });
  const meta = await pipeline.metadata();
  // sharp's names are the other way round: flop mirrors horizontally, flip vertically.
  if (options.direction !== "vertical") pipeline = pipeline.flop();
  if (options.direction !== "horizontal") pipeline = pipeline.flip();
  return encodeImage(pipeline, keptFormat(meta.format));
}
