/**
 * The image-operation library: composable sharp operations used by the local tools (generators)
 * and by the `/i/` URL executor alike, so a fix lands once and both give the same pixels.
 */
import { blurOp, grayscaleOp, sharpenOp } from "./filters";
import { cropOp, flipOp, rotateOp, trimOp } from "./geometry";
import { resizeOp } from "./resize";
import { borderOp, padOp, roundCornersOp } from "./shape";
import type { ImageOp } from "./types";
import { vignetteOp } from "./vignette";

export { applyOp, fromRaw, settle, startWorking, type RawImage, type Settle, type Settled } from "./compose";
export { colourPattern, colourSchema, colourText, isOpaque, parseColour } from "./colour";
export { encodeImage, formatWithAlpha, keptFormat, outputFormats, withEncoder, type OutputFormat } from "./encode";
export { runImageOp, type OpEncoding } from "./run-op";
export { defineTool, imageTools, runImageTool, type ImageTool } from "./tools";
export { defineOp, stages, type ImageOp, type Rgba, type Size, type Working } from "./types";
export { blurOp, borderOp, cropOp, flipOp, grayscaleOp, padOp, resizeOp, rotateOp, roundCornersOp, sharpenOp, trimOp, vignetteOp };

/** Every pipeline operation, by name. */
export const imageOps = [
  cropOp,
  rotateOp,
  flipOp,
  trimOp,
  resizeOp,
  blurOp,
  sharpenOp,
  grayscaleOp,
  borderOp,
  padOp,
  roundCornersOp,
  vignetteOp,
] satisfies ImageOp[];
