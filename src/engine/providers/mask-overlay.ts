import { sharp } from "../sharp";
import type { VendorImage } from "./image-request";

/**
 * Masked edits for vendors that redraw the whole picture. Our masks are PNGs the size of the image,
 * white where to change; grey is decided at the middle.
 */

/** Translucent magenta over the area to change, a solid magenta line around it. */
const mark = { r: 255, g: 0, b: 255, fill: 115, line: 255 };
/** Enough softness to hide the seam, all of it inside the mask. */
const featherSigma = 1.5;

/** One byte per pixel at the given size: 255 where to change, 0 where to keep. */
export async function binaryMask(mask: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(mask)
    .flatten({ background: "#000000" }) // a transparent mask background means "keep"
    .resize(width, height, { fit: "fill" })
    .greyscale()
    .threshold(128)
    .extractChannel(0)
    .raw()
    .toBuffer();
}

/**
 * The image with the area to change marked on it, for vendors without a mask input (Gemini): the
 * model sees both where to work and, through the translucent fill, what is there now. PNG, so the
 * marking stays crisp.
 */
export async function markMaskedArea(image: VendorImage, mask: Buffer): Promise<Buffer> {
  const { width, height } = image;
  const inside = await binaryMask(mask, width, height);
  const lineWidth = Math.max(2, Math.round(Math.max(width, height) / 256));
  const grown = dilate(inside, width, height, lineWidth);
  const overlay = Buffer.alloc(width * height * 4);
  for (let i = 0; i < inside.length; i++) {
    const alpha = inside[i] ? mark.fill : grown[i] ? mark.line : 0;
    if (alpha === 0) continue;
    overlay[i * 4] = mark.r;
    overlay[i * 4 + 1] = mark.g;
    overlay[i * 4 + 2] = mark.b;
    overlay[i * 4 + 3] = alpha;
  }
  return sharp(image.data)
    .flatten({ background: "#ffffff" })
    .composite([{ input: overlay, raw: { width, height, channels: 4 } }])
    .png()
    .toBuffer();
}

/** A square dilation by `radius` pixels, as two running-window passes (rows, then columns). */
function dilate(mask: Buffer, width: number, height: number, radius: number): Buffer {
  const pass = (source: Buffer, lines: number, length: number, at: (line: number, i: number) => number) => {
    const out = Buffer.alloc(source.length);
    for (let line = 0; line < lines; line++) {
      let lastOn = -Infinity;
      // Forward: distance to the last set pixel behind; backward: to the next one ahead.
      for (let i = 0; i < length; i++) {
        if (source[at(line, i)]) lastOn = i;
        if (i - lastOn <= radius) out[at(line, i)] = 255;
      }
      let nextOn = Infinity;
      for (let i = length - 1; i >= 0; i--) {
        if (source[at(line, i)]) nextOn = i;
        if (nextOn - i <= radius) out[at(line, i)] = 255;
      }
    }
    return out;
  };
  const rows = pass(mask, height, width, (y, x) => y * width + x);
  return pass(rows, width, height, (x, y) => y * width + x);
}

/**
 * The vendor's picture only inside the mask, the original everywhere else, at the original's
 * size: vendors redraw the whole image at their own resolution, and a magic erase must not soften
 * the rest of the photo. The mask is feathered inwards only, so every pixel outside it keeps its
 * exact value; the result is a PNG for the same reason (a JPEG re-encode would change them).
 */
export async function blendMasked(original: Buffer, generated: Buffer, mask: Buffer): Promise<Buffer> {
  const { data: base, info } = await sharp(original)
    .autoOrient()
    .toColourspace("srgb")
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const inside = await binaryMask(mask, width, height);
  const soft = await sharp(inside, { raw: { width, height, channels: 1 } })
    .blur(featherSigma)
    .extractChannel(0)
    .raw()
    .toBuffer();
  const resized = sharp(generated).autoOrient().toColourspace("srgb").resize(width, height, { fit: "fill" });
  const patch = await (channels === 4 ? resized.ensureAlpha(1) : resized.removeAlpha())
    .raw({ depth: "uchar" })
    .toBuffer();
  const out = Buffer.from(base);
  for (let i = 0; i < inside.length; i++) {
    const weight = inside[i] ? soft[i]! : 0;
    if (weight === 0) continue;
    for (let c = 0; c < channels; c++) {
      const at = i * channels + c;
      out[at] = Math.round((base[at]! * (255 - weight) + patch[at]! * weight) / 255);
    }
  }
  return sharp(out, { raw: { width, height, channels } }).png().toBuffer();
}
