import { AppError } from "@/server/errors";
import { sharp } from "../../sharp";
import { encodeImage, keptFormat } from "../../image-ops/encode";
import { orientedSize } from "../crop/smart-crop";
import type { ToolOutput } from "../types";
import { superResolve, type AiScale } from "./esrgan";

export const upscaleScales = [2, 4] as const;
export const upscaleMethods = ["classic", "ai"] as const;
export type UpscaleMethod = (typeof upscaleMethods)[number];
export type UpscaleOptions = { scale: AiScale; method?: UpscaleMethod };

/** Output bounds: past these the job fails before any work, with credits released. */
export const maxOutputSide = 8000;
export const maxOutputPixels = 40_000_000;
/**
 * The AI path runs at about 30 s per input megapixel on one core (WASM, one thread): beyond
 * about 1 MP it would hold a worker for minutes, so larger inputs take the classic path and the
 * result says so.
 */
export const maxAiInputPixels = 1_100_000;

export type UpscaleContext = { signal?: AbortSignal; onProgress?: (fraction: number) => Promise<void> | void };

/**
 * 2x or 4x. "classic": Lanczos3 and an adaptive unsharp mask (sharp's sharpen works on lightness,
 * gently on flat areas and more on edges). "ai": ESRGAN super-resolution, tiled; alpha, if any,
 * follows with Lanczos3.
 */
export async function upscaleImage(
  input: Buffer,
  options: UpscaleOptions,
  context: UpscaleContext = {},
): Promise<ToolOutput> {
  const scale = options.scale;
  if (!upscaleScales.includes(scale))
    throw new AppError("validation_failed", { message: `scale must be 2 or 4, got ${scale}` });
  const source = sharp(input, { failOn: "error", autoOrient: true });
  const metadata = await source.metadata();
  const image = orientedSize(metadata);
  const out = { width: image.width * scale, height: image.height * scale };
  if (out.width > maxOutputSide || out.height > maxOutputSide || out.width * out.height > maxOutputPixels) {
    throw new AppError("image_too_large", {
      message: `a ${scale}x upscale of ${image.width}×${image.height} would be ${out.width}×${out.height}, past ${maxOutputSide} px a side or ${maxOutputPixels / 1e6} MP`,
      params: { maxMegapixels: maxOutputPixels / 1e6, width: out.width, height: out.height, maxSide: maxOutputSide },
    });
  }
  const format = keptFormat(metadata.format);
  const requested = options.method ?? "classic";
  const tooLargeForAi = image.width * image.height > maxAiInputPixels;

  if (requested === "ai" && !tooLargeForAi) {
    const started = performance.now();
    const pipeline = await aiUpscale(input, image, scale, metadata.hasAlpha ?? false, context);
    return encodeImage(pipeline, format, {
      meta: { method: "ai", model: `esrgan-slim-x${scale}`, scale, aiMs: Math.round(performance.now() - started) },
    });
  }
  const pipeline = source
    .resize(out.width, out.height, { fit: "fill", kernel: "lanczos3" })
    .sharpen({ sigma: 0.5 + 0.25 * scale, m1: 0.6, m2: 2 });
  await context.onProgress?.(0.5);
  return encodeImage(pipeline, format, {
    meta: {
      method: "classic",
      scale,
      ...(requested === "ai"
        ? { requestedMethod: "ai", fallbackReason: `ai upscaling takes inputs up to ${maxAiInputPixels / 1e6} MP` }
        : {}),
    },
  });
}

// Every raw read asks for 8-bit samples: a 16-bit PNG would otherwise come out as twice the bytes.
async function aiUpscale(
  input: Buffer,
  image: { width: number; height: number },
  scale: AiScale,
  hasAlpha: boolean,
  context: UpscaleContext,
) {
  const rgb = await sharp(input, { failOn: "error", autoOrient: true })
    .removeAlpha()
    .toColourspace("srgb")
    .raw({ depth: "uchar" })
    .toBuffer();
  const upscaled = await superResolve(rgb, image.width, image.height, {
    scale,
    signal: context.signal,
    onProgress: context.onProgress,
  });
  const raw = { width: image.width * scale, height: image.height * scale, channels: 3 as const };
  if (!hasAlpha) return sharp(upscaled, { raw });
  // The network knows colour only: transparency is scaled classically and put back.
  const alpha = await sharp(input, { failOn: "error", autoOrient: true })
    .toColourspace("srgb")
    .ensureAlpha()
    .extractChannel(3)
    .resize(raw.width, raw.height, { fit: "fill", kernel: "lanczos3" })
    .raw({ depth: "uchar" })
    .toBuffer();
  return sharp(upscaled, { raw }).joinChannel(alpha, { raw: { width: raw.width, height: raw.height, channels: 1 } });
}
