import { sharp } from "../../sharp";
import type { ToolOutput } from "../types";
import { detectFaces } from "./detect-faces";
import { encodeImage, keptFormat } from "../../image-ops/encode";
import {
  faceAnchor,
  faceFocusPoint,
  largestCrop,
  outputSize,
  placeCrop,
  requestedAspect,
  type Rect,
  type SizeRequest,
} from "./geometry";

export const cropFocuses = ["subject", "face"] as const;
export type CropFocus = (typeof cropFocuses)[number];

export type SmartCropOptions = SizeRequest & { focus?: CropFocus };

/**
 * Crops to an aspect ratio (then resizes to width/height when given). Focus "subject" keeps what
 * libvips' attention strategy finds interesting (skin, saturation, edges); focus "face" centres on
 * the detected faces and, when there are none, falls back to subject and says so in `meta`.
 */
export async function smartCrop(input: Buffer, options: SmartCropOptions): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error", autoOrient: true });
  const metadata = await source.metadata();
  const image = orientedSize(metadata);
  const aspect = requestedAspect(options);
  const crop = largestCrop(image.width, image.height, aspect);
  const size = outputSize(crop, options, aspect);
  const format = keptFormat(metadata.format);

  let rect: Rect;
  let facts: Record<string, unknown>;
  if (options.focus === "face") {
    const detection = await detectFaces(input);
    if (detection.faces.length > 0) {
      rect = placeCrop(image, crop, faceFocusPoint(detection.faces, crop), faceAnchor);
      facts = {
        focus: "face",
        faceFound: true,
        faces: detection.faces.length,
        faceBoxes: detection.faces.slice(0, 10),
      };
    } else {
      rect = await attentionCrop(input, image, crop);
      facts = { focus: "subject", faceFound: false, faces: 0 };
    }
  } else {
    rect = await attentionCrop(input, image, crop);
    facts = { focus: "subject" };
  }

  const pipeline = source.extract(rect).resize(size.width, size.height, { fit: "fill", kernel: "lanczos3" });
  return encodeImage(pipeline, format, { meta: { ...facts, crop: rect, aspect: `${aspect.width}:${aspect.height}` } });
}

/** The image's size after EXIF orientation, the space every crop rectangle is in. */
export function orientedSize(metadata: {
  width?: number;
  height?: number;
  autoOrient?: { width: number; height: number };
}) {
  const size = metadata.autoOrient ?? { width: metadata.width ?? 0, height: metadata.height ?? 0 };
  if (!size.width || !size.height) throw new Error("the image has no size");
  return size;
}

/** Thumbnail side for the attention search: plenty for "where is the subject", cheap to decode. */
const attentionSide = 512;

/**
 * Where libvips' attention strategy puts a crop of `crop` size, found on a thumbnail (shrink-on-load
 * keeps that cheap) and mapped back, so the final extract is exact and never resampled twice.
 */
export async function attentionCrop(
  input: Buffer,
  image: { width: number; height: number },
  crop: { width: number; height: number },
): Promise<Rect> {
  if (crop.width === image.width && crop.height === image.height) return { left: 0, top: 0, ...crop };
  const t = Math.min(1, attentionSide / Math.max(crop.width, crop.height));
  const thumb = { width: Math.max(1, Math.round(crop.width * t)), height: Math.max(1, Math.round(crop.height * t)) };
  const { info } = await sharp(input, { failOn: "error", autoOrient: true })
    .resize(thumb.width, thumb.height, { fit: "cover", position: sharp.strategy.attention })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // sharp scales the image to cover the thumbnail, then crops: the (negative) offsets are in that
  // scaled frame.
  const scale = Math.max(thumb.width / image.width, thumb.height / image.height);
  const left = Math.round(-(info.cropOffsetLeft ?? 0) / scale);
  const top = Math.round(-(info.cropOffsetTop ?? 0) / scale);
  return {
    left: Math.max(0, Math.min(image.width - crop.width, left)),
    top: Math.max(0, Math.min(image.height - crop.height, top)),
    width: crop.width,
    height: crop.height,
  };
}
