import "server-only";
import { fromRaw, type RawImage } from "@/engine/image-ops";
import type { Size } from "./plan-resize";

export { fromRaw, type RawImage } from "@/engine/image-ops";
export type Point = { x: number; y: number };
export type FaceBox = { x: number; y: number; width: number; height: number };

/** Finds faces in a decoded image; the largest one becomes the focus of fo-face. */
export type FaceLocator = (image: RawImage) => Promise<FaceBox[]>;

/**
 * The most interesting point of an image by libvips' attention strategy (skin, saturation,
 * edges). sharp reports it only when a cover resize crops, so ask for a half-height thumbnail.
 */
export async function attentionPoint(raw: RawImage): Promise<Point> {
  const { width, height } = raw.info;
  const scale = Math.min(1, 256 / Math.max(width, height));
  const thumb = {
    width: Math.max(2, Math.round(width * scale)),
    height: Math.max(1, Math.floor((height * scale) / 2)),
  };
  const { info } = await fromRaw(raw)
    .resize({ ...thumb, fit: "cover", position: "attention" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const found = info as typeof info & { attentionX?: number; attentionY?: number };
  if (found.attentionX === undefined || found.attentionY === undefined) return centre(raw.info);
  const coverScale = Math.max(thumb.width / width, thumb.height / height);
  return { x: found.attentionX / coverScale, y: found.attentionY / coverScale };
}

/** Centre of the largest face, or undefined when there is none (the caller falls back). */
export async function facePoint(raw: RawImage, locateFaces: FaceLocator | undefined): Promise<Point | undefined> {
  if (!locateFaces) return undefined;
  const faces = await locateFaces(raw);
  const largest = faces.sort((a, b) => b.width * b.height - a.width * a.height)[0];
  return largest ? { x: largest.x + largest.width / 2, y: largest.y + largest.height / 2 } : undefined;
}

function centre(size: Size): Point {
  return { x: size.width / 2, y: size.height / 2 };
}
