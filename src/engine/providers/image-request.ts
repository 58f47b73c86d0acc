import { sharp } from "../sharp";
import type { EditOptions, FaceRestoreOptions } from "./capability-options";
import { ProviderError } from "./errors";
import type { ToolContext } from "./types";

/** Image vendors work at about 1-2 megapixels: a larger upload only costs time and request size. */
const maxSide = 2048;
const sentAsIs = new Set(["png", "jpeg", "webp"]);

export type VendorImage = { data: Buffer; mime: string; width: number; height: number };

/**
 * An image as vendors accept it: upright, at most 2048 px a side, PNG, JPEG or WebP. Images that
 * already fit are sent untouched; others become PNG when they have transparency, else JPEG.
 */
export async function prepareVendorImage(image: Buffer): Promise<VendorImage> {
  const meta = await sharp(image).metadata();
  const upright = (meta.orientation ?? 1) <= 1;
  const { width, height } = meta.autoOrient;
  if (upright && sentAsIs.has(meta.format ?? "") && Math.max(width, height) <= maxSide) {
    return { data: image, mime: `image/${meta.format}`, width, height };
  }
  const resized = sharp(image).autoOrient().resize(maxSide, maxSide, { fit: "inside", withoutEnlargement: true });
  const encoded = meta.hasAlpha
    ? await resized.png().toBuffer({ resolveWithObject: true })
    : await resized.jpeg({ quality: 92 }).toBuffer({ resolveWithObject: true });
  return {
    data: encoded.data,
    mime: meta.hasAlpha ? "image/png" : "image/jpeg",
    width: encoded.info.width,
    height: encoded.info.height,
  };
}

/** An edit's reference images (a product to place, ...), prepared like the image itself. */
export function referenceImages(options: EditOptions, context: ToolContext): Promise<VendorImage[]> {
  return Promise.all(
    (options.referenceAssetIds ?? []).map(async (id) => prepareVendorImage(await context.loadAsset(id))),
  );
}

/**
 * Decodes a vendor's image once before we crop or blend it: bytes that are not an image are a
 * malformed answer (the next provider), not a bug of ours.
 */
export async function checkVendorImage(data: Buffer): Promise<Buffer> {
  try {
    await sharp(data, { failOn: "truncated" }).stats();
  } catch (error) {
    throw new ProviderError("malformed", "the provider's answer is not an image", { cause: error });
  }
  return data;
}

/** "16:9" → 16/9. */
export function ratioOf(aspectRatio: string): number {
  const [w, h] = aspectRatio.split(":").map(Number) as [number, number];
  return w / h;
}

/** The candidate closest to a width/height ratio, compared on a log scale (2:1 is as far from 1:1 as 1:2). */
export function closestRatio<T extends string>(width: number, height: number, candidates: readonly T[]): T {
  const wanted = Math.log(width / height);
  return candidates.reduce((best, candidate) =>
    Math.abs(Math.log(ratioOf(candidate)) - wanted) < Math.abs(Math.log(ratioOf(best)) - wanted) ? candidate : best,
  );
}

/**
 * Center-crops a vendor's image to the aspect ratio the user asked for, when the vendor only offers
 * nearby sizes (gpt-image makes 3:2 for 16:9). Within 1% it is left alone.
 */
export async function cropToAspectRatio(image: Buffer, aspectRatio: string): Promise<Buffer> {
  const { width, height } = await sharp(image).metadata();
  const wanted = ratioOf(aspectRatio);
  if (Math.abs(width / height / wanted - 1) < 0.01) return image;
  const size =
    width / height > wanted
      ? { width: Math.round(height * wanted), height }
      : { width, height: Math.round(width / wanted) };
  return sharp(image)
    .resize({ ...size, fit: "cover", position: "centre" })
    .png()
    .toBuffer();
}

/** Image vendors have no negative prompt: the words to avoid go into the prompt. */
export function withAvoid(prompt: string, negativePrompt: string | undefined): string {
  return negativePrompt?.trim() ? `${prompt}\nAvoid: ${negativePrompt.trim()}` : prompt;
}

/**
 * A style transfer for vendors without a strength setting: the catalog's prompt, plus a sentence
 * when `strength` (0..1) asks to stay very close to the original or to move far from it.
 */
export function styleInstruction(prompt: string, strength?: number): string {
  if (strength !== undefined && strength < 0.4)
    return `${prompt}\nStay very close to the original: keep its composition, shapes and details.`;
  if (strength !== undefined && strength > 0.85)
    return `${prompt}\nYou may reinterpret shapes and details freely; keep the subject recognisable.`;
  return prompt;
}

/** An edit's prompt for vendors without a strength or negative prompt: both said in words. */
export function editInstruction(options: EditOptions, kind: "edit" | "style"): string {
  return withAvoid(
    kind === "style" ? styleInstruction(options.prompt, options.strength) : options.prompt,
    options.negativePrompt,
  );
}

/** CodeFormer's fidelity (0..1, 0.7 when the catalog gives none): high keeps the original faces. */
export function fidelityOf(options: FaceRestoreOptions): number {
  return Math.min(1, Math.max(0, options.fidelity ?? 0.7));
}

/**
 * A face restoration for vendors that restore by instruction: the catalog's prompt, plus a sentence
 * when `fidelity` (0..1, as CodeFormer's) asks to stay strictly with the photo or allows bolder repair.
 */
export function restoreInstruction(prompt: string, fidelity?: number): string {
  if (fidelity !== undefined && fidelity >= 0.85) {
    return `${prompt}\nStay strictly faithful to the original faces: only remove damage, blur and noise; do not invent facial detail.`;
  }
  if (fidelity !== undefined && fidelity <= 0.35) {
    return `${prompt}\nWhere a face is badly damaged or blurred, reconstruct its missing detail convincingly while keeping the person recognisable.`;
  }
  return prompt;
}

/**
 * A vendor's redrawn image brought back to the original's upright size: a restoration repairs the
 * photo, it does not reframe or enlarge it (ai-upscale does that).
 */
export async function toOriginalSize(result: Buffer, original: Buffer): Promise<Buffer> {
  const { width, height } = (await sharp(original).metadata()).autoOrient;
  const current = await sharp(result).metadata();
  if (current.width === width && current.height === height) return result;
  return sharp(result).autoOrient().resize(width, height, { fit: "fill" }).png().toBuffer();
}

export function requireImage(input: Buffer | undefined): Buffer {
  // A catalog step without an image is our bug, not the vendor's: a plain error.
  if (!input) throw new Error("this capability needs an input image");
  return input;
}
