/**
 * The image-operation library: composable sharp operations used by the local tools (generators)
 * and by the `/i/` URL executor alike, so a fix lands once and both give the same pixels.
 * - ops (blurOp, cropOp, ...): name, Zod options, stage and apply, composed by applyOp;
 * - imageTools: the same as local capabilities (name, options, run on encoded bytes);
 * - withEncoder: the encoder settings of every output.
 */
export { applyOp, fromRaw, settle, startWorking, type RawImage, type Settled } from "./compose";
export { colourText } from "./colour";
export { withEncoder } from "./encode";
export { blurOp, grayscaleOp, sharpenOp } from "./filters";
export { cropOp, flipOp, rotateOp, trimOp } from "./geometry";
export { resizeOp } from "./resize";
export { borderOp, padOp, roundCornersOp } from "./shape";
export { imageTools, runImageTool, type ImageTool } from "./tools";
export { stages, type ImageOp, type Working } from "./types";
