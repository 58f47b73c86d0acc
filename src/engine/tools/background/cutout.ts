import { sharp } from "../../sharp";
import { decodeRaw, fromRaw, type RawImage } from "./encode";
import { modelInputSize, predictMask, type BackgroundQuality } from "./model";

/** An upright RGB image and its subject mask (8-bit, 255 = subject), both at the image's size. */
export type Cutout = { rgb: RawImage; mask: RawImage };

/** What a job gives a long-running tool: its deadline and a progress callback (0..1). */
export type ToolHooks = { signal?: AbortSignal; onProgress?: (fraction: number) => unknown };

export type CutoutOptions = ToolHooks & { quality?: BackgroundQuality };

/** Decode, stretch to the model's square (as it was trained), predict, scale the mask back with sharp. */
export async function cutOutSubject(input: Buffer, options: CutoutOptions = {}): Promise<Cutout> {
  const rgb = await decodeRaw(input, { alpha: false });
  options.signal?.throwIfAborted();
  const modelInput = await fromRaw(rgb).resize(modelInputSize, modelInputSize, { fit: "fill" }).raw().toBuffer();
  await options.onProgress?.(0.1);
  const small = await predictMask(modelInput, options.quality ?? "standard");
  options.signal?.throwIfAborted();
  await options.onProgress?.(0.8);
  const mask = await sharp(small, { raw: { width: modelInputSize, height: modelInputSize, channels: 1 } })
    // Bilinear: a probability map has no detail to sharpen, and lanczos would ring at the edges.
    .resize(rgb.width, rgb.height, { fit: "fill", kernel: "linear" })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return { rgb, mask: { data: mask, width: rgb.width, height: rgb.height, channels: 1 } };
}

/** The subject as RGBA: the mask becomes the alpha channel. */
export function cutoutWithAlpha(cutout: Cutout) {
  return fromRaw(cutout.rgb).joinChannel(cutout.mask.data, {
    raw: { width: cutout.mask.width, height: cutout.mask.height, channels: 1 },
  });
}

export type Box = { left: number; top: number; width: number; height: number };

/** Below this a mask pixel counts as background: the model leaves faint haze in empty areas. */
const subjectThreshold = 24;

/** The subject's bounding box, found by libvips' trim; undefined when the mask is empty. */
export async function subjectBox(mask: RawImage): Promise<Box | undefined> {
  const stats = await fromRaw(mask).stats();
  if ((stats.channels[0]?.max ?? 0) < subjectThreshold) return undefined;
  const { info } = await fromRaw(mask)
    .trim({ background: "#000000", threshold: subjectThreshold })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    left: -(info.trimOffsetLeft ?? 0),
    top: -(info.trimOffsetTop ?? 0),
    width: info.width,
    height: info.height,
  };
}

/** Intersection over union of two masks of the same size, thresholded at half. For tests and the bench. */
export function maskIoU(a: Uint8Array, b: Uint8Array, threshold = 128): number {
  if (a.length !== b.length) throw new Error("masks differ in size");
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < a.length; i += 1) {
    const inA = a[i]! >= threshold;
    const inB = b[i]! >= threshold;
    if (inA && inB) intersection += 1;
    if (inA || inB) union += 1;
  }
  return union === 0 ? 1 : intersection / union;
}
