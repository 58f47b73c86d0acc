import type { z } from "zod";
import { cropOp, flipOp, rotateOp } from "../../image-ops/geometry";
import { runImageOp } from "../../image-ops/run-op";
import type { ToolOutput } from "../types";

export { flipDirections } from "../../image-ops/geometry";

export type CropOptions = z.input<typeof cropOp.options>;

/** Cuts a rectangle out, in pixels from the top left; the rectangle must lie inside the image. */
export function cropImage(input: Buffer, options: CropOptions): Promise<ToolOutput> {
  return runImageOp(input, cropOp, cropOp.options.parse(options));
}

export type RotateOptions = z.input<typeof rotateOp.options>;

/** Rotates clockwise by any angle; free angles on a transparent background make JPEG a PNG. */
export function rotateImage(input: Buffer, options: RotateOptions): Promise<ToolOutput> {
  return runImageOp(input, rotateOp, rotateOp.options.parse(options));
}

export type FlipOptions = z.input<typeof flipOp.options>;

/** Mirrors left-right (horizontal), top-bottom (vertical) or both. */
export function flipImage(input: Buffer, options: FlipOptions): Promise<ToolOutput> {
  return runImageOp(input, flipOp, flipOp.options.parse(options));
}
