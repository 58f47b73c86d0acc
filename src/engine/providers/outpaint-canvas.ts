import { AppError } from "@/server/errors";
import { sharp } from "../sharp";
import type { OutpaintOptions } from "./capability-options";
import { prepareVendorImage, type VendorImage } from "./image-request";

export type Expand = OutpaintOptions["expand"];

export type PaddedCanvas = {
  /** The original on a larger canvas, PNG; the new border holds a blurred continuation of its edges. */
  image: Buffer;
  /** PNG the size of the canvas: white where the border is new, black over the original. */
  mask: Buffer;
  width: number;
  height: number;
  /** Where the original sits on the canvas. */
  original: { left: number; top: number; width: number; height: number };
};

/** Past this, a canvas is mostly invented border and the memory needed grows with its square. */
const maxGrowth = 3;

/**
 * Grows the canvas for outpainting by a fraction of the image's own size per side (OutpaintOptions:
 * 0.25 on the left of a 1000 px wide image adds 250 px). The border is not left empty: its edge
 * pixels are stretched outwards and blurred, so a model sees the colours it has to continue (vendors
 * fill a flat or transparent border with a visible seam).
 */
export async function padForOutpaint(image: Buffer, expand: Expand): Promise<PaddedCanvas> {
  for (const side of [expand.top, expand.right, expand.bottom, expand.left]) {
    if (!Number.isFinite(side) || side < 0 || side > maxGrowth) {
      throw new AppError("validation_failed", {
        message: `each side grows by 0 to ${maxGrowth} times the image's size`,
      });
    }
  }
  const upright = await sharp(image).autoOrient().png().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = upright.info;
  const top = Math.round(expand.top * height);
  const bottom = Math.round(expand.bottom * height);
  const left = Math.round(expand.left * width);
  const right = Math.round(expand.right * width);
  const canvas = { width: width + left + right, height: height + top + bottom };

  const stretched = await sharp(upright.data)
    .extend({ top, right, bottom, left, extendWith: "copy" })
    .blur(blurSigma(Math.max(top, right, bottom, left)))
    .toBuffer();
  const padded = await pasteOver(stretched, upright.data, { left, top }, channels === 4);
  return {
    image: padded,
    mask: await borderMask(canvas, { left, top, width, height }),
    ...canvas,
    original: { left, top, width, height },
  };
}

/**
 * A vendor's filled canvas, brought back to the canvas size with the original pasted over its own
 * place: models redraw the whole picture, and the user asked to extend the photo, not to repaint it.
 */
export async function restoreOriginal(filled: Buffer, canvas: PaddedCanvas, original: Buffer): Promise<Buffer> {
  const upright = await sharp(original).autoOrient().png().toBuffer({ resolveWithObject: true });
  const scaled = await sharp(filled).autoOrient().resize(canvas.width, canvas.height, { fit: "fill" }).png().toBuffer();
  return pasteOver(scaled, upright.data, canvas.original, upright.info.channels === 4);
}

/** Composites always add an alpha channel; an opaque photo stays without one. */
async function pasteOver(
  base: Buffer,
  top: Buffer,
  at: { left: number; top: number },
  keepAlpha: boolean,
): Promise<Buffer> {
  const composed = await sharp(base)
    .composite([{ input: top, left: at.left, top: at.top }])
    .png()
    .toBuffer();
  return keepAlpha ? composed : sharp(composed).removeAlpha().png().toBuffer();
}

/** One grey channel, built byte by byte so every pixel is exactly 0 or 255 (no edge smoothing). */
async function borderMask(
  canvas: { width: number; height: number },
  original: PaddedCanvas["original"],
): Promise<Buffer> {
  const pixels = Buffer.alloc(canvas.width * canvas.height, 255);
  for (let y = original.top; y < original.top + original.height; y++) {
    pixels.fill(0, y * canvas.width + original.left, y * canvas.width + original.left + original.width);
  }
  return sharp(pixels, { raw: { width: canvas.width, height: canvas.height, channels: 1 } })
    .toColourspace("b-w")
    .png()
    .toBuffer();
}

/** Enough blur to hide the stretched streaks, not so much that colours from both sides mix. */
function blurSigma(widestBorder: number): number {
  return Math.min(40, Math.max(1, widestBorder / 8));
}

export type VendorCanvas = { original: VendorImage; canvas: PaddedCanvas; padded: VendorImage };

/**
 * For vendors that take one image and redraw it whole (GPT Image, Gemini): the original as vendors
 * take it, the canvas grown from it, and that canvas within the same size limit.
 */
export async function vendorOutpaintCanvas(input: Buffer, expand: Expand): Promise<VendorCanvas> {
  const original = await prepareVendorImage(input);
  const canvas = await padForOutpaint(original.data, expand);
  // The padded canvas can exceed what a vendor takes: it goes through the same size limit.
  const padded = await prepareVendorImage(canvas.image);
  return { original, canvas, padded };
}
