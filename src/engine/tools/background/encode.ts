import type { Sharp } from "sharp";
import { AppError } from "@/server/errors";
import { sharp } from "../../sharp";

/** Formats that keep an alpha channel, for cut-outs and shadows. */
export const alphaFormats = ["png", "webp"] as const;
export type AlphaFormat = (typeof alphaFormats)[number];
/** Formats for images on an opaque background. */
export const opaqueFormats = ["jpeg", "png", "webp"] as const;
export type OpaqueFormat = (typeof opaqueFormats)[number];

export type Rgb = { r: number; g: number; b: number };
export const hexColorPattern = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

export function parseHexColor(hex: string): Rgb {
  const match = hexColorPattern.exec(hex.trim());
  if (!match?.[1]) throw new AppError("bad_request", { message: `not a hex colour: ${hex}` });
  const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join("") : match[1];
  const value = Number.parseInt(digits, 16);
  return { r: (value >> 16) & 255, g: (value >> 8) & 255, b: value & 255 };
}

export type RawImage = { data: Buffer; width: number; height: number; channels: 1 | 3 | 4 };

export function fromRaw(image: RawImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
}

/** Decodes any supported input, upright, as 8-bit sRGB; an image that cannot be read is a clear job error. */
export async function decodeRaw(input: Buffer, options: { alpha: boolean }): Promise<RawImage> {
  try {
    let image = sharp(input, { failOn: "error" }).rotate().toColourspace("srgb");
    image = options.alpha ? image.ensureAlpha() : image.flatten({ background: "#ffffff" }).removeAlpha();
    const { data, info } = await image.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: options.alpha ? 4 : 3 };
  } catch (error) {
    throw new AppError("corrupt_image", { cause: error });
  }
}
