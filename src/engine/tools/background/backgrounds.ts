import { AppError } from "@/server/errors";
import { sharp } from "../../sharp";
import { fromRaw, parseHexColor, type RawImage, type Rgb } from "./encode";

export type BackgroundFill =
  | { kind: "color"; color: string }
  /** CSS semantics: 0 = bottom to top, 90 = left to right, 180 (default) = top to bottom. */
  | { kind: "gradient"; from: string; to: string; angle?: number }
  /** A blurred copy of the original; sigma in pixels, by default 2% of the longer side. */
  | { kind: "blur"; sigma?: number }
  | { kind: "image"; image: Buffer }
  /** A soft light-grey radial gradient, brighter above the middle, like a photo studio's sweep. */
  | { kind: "studio" };

export type Size = { width: number; height: number };

/** An opaque RGB canvas of the given size. `original` is needed for the blur fill. */
export async function renderBackground(fill: BackgroundFill, size: Size, original?: RawImage): Promise<RawImage> {
  const raw = (data: Buffer): RawImage => ({ data, ...size, channels: 3 });
  switch (fill.kind) {
    case "color":
      return raw(await solid(parseHexColor(fill.color), size));
    case "gradient":
      return raw(await renderSvg(linearGradientSvg(fill, size), size));
    case "studio":
      return raw(await renderSvg(studioSvg(size), size));
    case "blur": {
      if (!original) throw new Error("a blurred background needs the original image");
      return raw(await blurred(original, fill.sigma ?? Math.max(original.width, original.height) * 0.02, size));
    }
    case "image":
      return raw(await coverImage(fill.image, size));
  }
}

function solid(color: Rgb, size: Size): Promise<Buffer> {
  return sharp({ create: { ...size, channels: 3, background: color } })
    .raw()
    .toBuffer();
}

function renderSvg(svg: string, size: Size): Promise<Buffer> {
  return sharp(Buffer.from(svg))
    .resize(size.width, size.height, { fit: "fill" })
    .flatten({ background: "#ffffff" })
    .removeAlpha()
    .raw({ depth: "uchar" })
    .toBuffer();
}

function hex(color: string): string {
  const { r, g, b } = parseHexColor(color);
  return `rgb(${r},${g},${b})`;
}

/** The gradient line of CSS linear-gradient(): through the centre, long enough to reach the corners. */
function linearGradientSvg(fill: { from: string; to: string; angle?: number }, { width, height }: Size): string {
  const radians = (((fill.angle ?? 180) % 360) * Math.PI) / 180;
  const dx = Math.sin(radians);
  const dy = -Math.cos(radians);
  const half = (Math.abs(width * dx) + Math.abs(height * dy)) / 2;
  const [cx, cy] = [width / 2, height / 2];
  const line = `x1="${cx - dx * half}" y1="${cy - dy * half}" x2="${cx + dx * half}" y2="${cy + dy * half}"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" gradientUnits="userSpaceOnUse" ${line}>
<stop offset="0" stop-color="${hex(fill.from)}"/><stop offset="1" stop-color="${hex(fill.to)}"/>
</linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`;
}

function studioSvg({ width, height }: Size): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><radialGradient id="g" cx="50%" cy="42%" r="75%">
<stop offset="0" stop-color="#ffffff"/><stop offset="0.55" stop-color="#f1f1f1"/><stop offset="1" stop-color="#d8d8d8"/>
</radialGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`;
}

/** Large blurs run on a reduced copy: the same look at a fraction of the cost. */
async function blurred(original: RawImage, sigma: number, size: Size): Promise<Buffer> {
  const factor = Math.max(1, Math.floor(sigma / 4));
  const small = {
    width: Math.max(1, Math.round(original.width / factor)),
    height: Math.max(1, Math.round(original.height / factor)),
  };
  // Separate passes: within one pipeline sharp would resize first and blur at the large size.
  const reduced = await fromRaw(original)
    .resize(small.width, small.height, { fit: "fill" })
    .blur(Math.max(0.3, sigma / factor))
    .raw()
    .toBuffer();
  return sharp(reduced, { raw: { ...small, channels: original.channels } })
    .resize(size.width, size.height, { fit: "fill", kernel: "linear" })
    .removeAlpha()
    .raw()
    .toBuffer();
}

async function coverImage(image: Buffer, size: Size): Promise<Buffer> {
  try {
    return await sharp(image, { failOn: "error" })
      .rotate()
      .resize(size.width, size.height, { fit: "cover" })
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .removeAlpha()
      .raw({ depth: "uchar" })
      .toBuffer();
  } catch (error) {
    throw new AppError("corrupt_image", { cause: error });
  }
}
