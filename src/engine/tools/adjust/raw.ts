import type { Sharp } from "sharp";
import { sharp } from "../../sharp";
import type { OutputFormat } from "../../image-ops/encode";
import type { ToolOutput } from "../types";
import { encodeImage, keptFormat } from "../../image-ops/encode";

/** Pixels as tightly packed 8-bit RGB, with the alpha channel kept aside (if there is one). */
export type RgbImage = { rgb: Buffer; alpha: Buffer | undefined; width: number; height: number; format: OutputFormat };

export async function decodeRgb(input: Buffer): Promise<RgbImage> {
  const source = sharp(input, { failOn: "error" });
  const meta = await source.metadata();
  const format = keptFormat(meta.format);
  const srgb = source.toColourspace("srgb");
  if (!meta.hasAlpha) {
    const { data, info } = await srgb.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { rgb: data, alpha: undefined, width: info.width, height: info.height, format };
  }
  const { data, info } = await srgb.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixels = info.width * info.height;
  const rgb = Buffer.allocUnsafe(pixels * 3);
  const alpha = Buffer.allocUnsafe(pixels);
  for (let i = 0; i < pixels; i++) {
    rgb[i * 3] = data[i * 4]!;
    rgb[i * 3 + 1] = data[i * 4 + 1]!;
    rgb[i * 3 + 2] = data[i * 4 + 2]!;
    alpha[i] = data[i * 4 + 3]!;
  }
  return { rgb, alpha, width: info.width, height: info.height, format };
}

export function rawInput(data: Buffer, width: number, height: number, channels: 1 | 3 | 4) {
  return sharp(data, { raw: { width, height, channels } });
}

export async function encodeRgb(image: RgbImage, meta?: Record<string, unknown>): Promise<ToolOutput> {
  let pipeline = rawInput(image.rgb, image.width, image.height, 3);
  if (image.alpha)
    pipeline = pipeline.joinChannel(image.alpha, { raw: { width: image.width, height: image.height, channels: 1 } });
  return encodeImage(pipeline, image.format, { meta });
}

/**
 * A k×k median per channel: removes specks and lines thinner than k/2 while keeping edges. libvips
 * takes seconds for this on 12 MP+ colour images, so callers use it on one channel.
 */
export async function medianOf(
  data: Buffer,
  width: number,
  height: number,
  channels: 1 | 3,
  size: number,
): Promise<Buffer> {
  // libvips refuses a window larger than the image; a sliver of an image has nothing to smooth.
  const fitting = Math.min(size, Math.min(width, height) - (Math.min(width, height) % 2 === 0 ? 1 : 0));
  if (fitting < 3) return Buffer.from(data);
  return rawOutput(rawInput(data, width, height, channels).median(fitting), channels);
}

/** Raw bytes with as many channels as went in (sharp would widen one channel to sRGB). */
export function rawOutput(pipeline: Sharp, channels: 1 | 3): Promise<Buffer> {
  return (channels === 1 ? pipeline.extractChannel(0) : pipeline).raw().toBuffer();
}

/** base + (other - base) * weight, in place on base. */
export function blendInto(base: Buffer, other: Buffer, weight: number): void {
  if (weight <= 0) return;
  for (let i = 0; i < base.length; i++) {
    const a = base[i]!;
    base[i] = (a + (other[i]! - a) * weight + 0.5) | 0;
  }
}

/** Rec. 601 luma, one byte per pixel. */
export function lumaOf(rgb: Buffer): Buffer {
  const luma = Buffer.allocUnsafe(rgb.length / 3);
  for (let i = 0; i < luma.length; i++) {
    luma[i] = (0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]! + 0.5) | 0;
  }
  return luma;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** A copy at most `side` pixels on its long edge, for statistics that do not need every pixel. */
export async function thumbnailOf(data: Buffer, width: number, height: number, channels: 1 | 3, side = 512) {
  const pipeline = rawInput(data, width, height, channels).resize(side, side, {
    fit: "inside",
    withoutEnlargement: true,
  });
  const { data: small, info } = await (channels === 1 ? pipeline.extractChannel(0) : pipeline)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: small, width: info.width, height: info.height };
}
