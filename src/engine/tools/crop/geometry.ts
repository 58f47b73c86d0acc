import type { FaceBox } from "./detect-faces";

/** Pure rectangle arithmetic for the crops: no pixels here, so every rule is unit-testable. */
export type Rect = { left: number; top: number; width: number; height: number };
export type Aspect = { width: number; height: number };

/** "W:H" with whole numbers, e.g. "1:1", "4:5", "16:9", "1584:396". */
export const aspectPattern = /^([1-9]\d{0,4}):([1-9]\d{0,4})$/;
/** Wider or taller than 20:1 is a strip, not a photo crop. */
export const maxAspectRatio = 20;

export function parseAspect(value: string): Aspect {
  const match = aspectPattern.exec(value.trim());
  if (!match) throw new Error(`aspect must look like 16:9, got ${value}`);
  const g = gcd(Number(match[1]), Number(match[2]));
  return { width: Number(match[1]) / g, height: Number(match[2]) / g };
}

export function isSaneAspect(value: string): boolean {
  if (!aspectPattern.test(value.trim())) return false;
  const { width, height } = parseAspect(value);
  return width / height <= maxAspectRatio && height / width <= maxAspectRatio;
}

/**
 * The largest crop of exactly `aspect` that fits: a whole multiple of the reduced ratio, so the
 * pixels really are 16:9 and not 16.02:9. Ratios with huge terms fall back to the nearest size.
 */
export function largestCrop(width: number, height: number, aspect: Aspect): { width: number; height: number } {
  const k = Math.floor(Math.min(width / aspect.width, height / aspect.height));
  if (k >= 1) return { width: k * aspect.width, height: k * aspect.height };
  if (width / height > aspect.width / aspect.height) {
    return { width: Math.max(1, Math.round((height * aspect.width) / aspect.height)), height };
  }
  return { width, height: Math.max(1, Math.round((width * aspect.height) / aspect.width)) };
}

export type SizeRequest = { aspect?: string; width?: number; height?: number };

/**
 * The aspect a request asks for: width and height together define it; otherwise `aspect`,
 * and with nothing at all a square.
 */
export function requestedAspect(request: SizeRequest): Aspect {
  if (request.width && request.height) {
    const g = gcd(request.width, request.height);
    return { width: request.width / g, height: request.height / g };
  }
  return parseAspect(request.aspect ?? "1:1");
}

/** The output size: the requested one, or the crop's own size when none was given. */
export function outputSize(crop: { width: number; height: number }, request: SizeRequest, aspect: Aspect) {
  if (request.width && request.height) return { width: request.width, height: request.height };
  if (request.width)
    return { width: request.width, height: Math.max(1, Math.round((request.width * aspect.height) / aspect.width)) };
  if (request.height)
    return { width: Math.max(1, Math.round((request.height * aspect.width) / aspect.height)), height: request.height };
  return crop;
}

/**
 * Places a crop of the given size so that the focus point sits at (anchorX, anchorY) of the crop
 * (fractions), moved as little as needed to stay inside the image.
 */
export function placeCrop(
  image: { width: number; height: number },
  size: { width: number; height: number },
  focus: { x: number; y: number },
  anchor = { x: 0.5, y: 0.5 },
): Rect {
  const left = clamp(Math.round(focus.x - anchor.x * size.width), 0, image.width - size.width);
  const top = clamp(Math.round(focus.y - anchor.y * size.height), 0, image.height - size.height);
  return { left, top, width: size.width, height: size.height };
}

/** Faces sit a little above the middle: room above the head, the shoulders below. */
export const faceAnchor = { x: 0.5, y: 0.4 };

/**
 * Where a face crop centres: on all the faces together when they fit in the crop, else on the
 * largest one (faces are sorted largest first).
 */
export function faceFocusPoint(faces: FaceBox[], size: { width: number; height: number }): { x: number; y: number } {
  const all = unionOf(faces);
  const target = all.width <= size.width * 0.9 && all.height <= size.height * 0.9 ? all : faces[0]!;
  return { x: target.x + target.width / 2, y: target.y + target.height / 2 };
}

/**
 * A head-and-shoulders square around one face: about 3.2 face heights on a side (the detector's box
 * runs from the brows to the chin), face centre at 40% from the top, never beyond the image.
 */
export function headshotSquare(face: FaceBox, image: { width: number; height: number }): Rect {
  const wanted = Math.round(Math.max(face.width, face.height) * 3.2);
  const side = Math.max(1, Math.min(wanted, image.width, image.height));
  return placeCrop(
    image,
    { width: side, height: side },
    { x: face.x + face.width / 2, y: face.y + face.height / 2 },
    faceAnchor,
  );
}

/** True when the box lies entirely inside the rectangle. */
export function contains(rect: Rect, box: { x: number; y: number; width: number; height: number }): boolean {
  return (
    box.x >= rect.left &&
    box.y >= rect.top &&
    box.x + box.width <= rect.left + rect.width &&
    box.y + box.height <= rect.top + rect.height
  );
}

function unionOf(faces: FaceBox[]): { x: number; y: number; width: number; height: number } {
  const left = Math.min(...faces.map((f) => f.x));
  const top = Math.min(...faces.map((f) => f.y));
  const right = Math.max(...faces.map((f) => f.x + f.width));
  const bottom = Math.max(...faces.map((f) => f.y + f.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
