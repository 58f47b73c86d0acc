import type { Sharp } from "sharp";
import type { ToolOutput } from "../tools/types";

/** The formats every tool can write. */
export const outputFormats = ["jpeg", "png", "webp", "avif"] as const;
export type OutputFormat = (typeof outputFormats)[number];

const mimeOf: Record<OutputFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
};
const extOf: Record<OutputFormat, string> = { jpeg: "jpg", png: "png", webp: "webp", avif: "avif" };

/** The format a tool keeps by default: the input's, or PNG for anything we do not write. */
export function keptFormat(format: string | undefined): OutputFormat {
  if (format === "heif") return "avif"; // sharp reports AVIF input as heif
  return (outputFormats as readonly string[]).includes(format ?? "") ? (format as OutputFormat) : "png";
}

/** JPEG cannot hold transparency: a tool that makes transparent pixels switches it to PNG. */
export function formatWithAlpha(format: OutputFormat): OutputFormat {
  return format === "jpeg" ? "png" : format;
}

export function defaultQuality(format: OutputFormat): number {
  return format === "avif" ? 55 : 82;
}

/**
 * The encoder settings of every output, tools and `/i/` alike. sharp drops EXIF, XMP and ICC
 * unless asked to keep them. Plain libjpeg with optimised Huffman tables: mozjpeg saves ~10% but
 * is ~15x slower on 12 MP+. WebP keeps its alpha lossless so cut-out edges stay clean. `effort`
 * (AVIF, WebP) trades size for time; the request path asks for less.
 */
export function withEncoder(
  pipeline: Sharp,
  format: OutputFormat,
  options: { quality: number; effort?: number },
): Sharp {
  const { quality, effort } = options;
  switch (format) {
    case "png":
      return pipeline.png({ compressionLevel: 6 });
    case "webp":
      return pipeline.webp({ quality, alphaQuality: 100, ...(effort === undefined ? {} : { effort }) });
    case "avif":
      return pipeline.avif({ quality, ...(effort === undefined ? {} : { effort }) });
    case "jpeg":
      return pipeline.jpeg({ quality });
  }
}

/** Encodes once (see withEncoder) and reports the real output size. */
export async function encodeImage(
  pipeline: Sharp,
  format: OutputFormat,
  options: { quality?: number; meta?: Record<string, unknown> } = {},
): Promise<ToolOutput> {
  const quality = options.quality ?? defaultQuality(format);
  const { data, info } = await withEncoder(pipeline, format, { quality }).toBuffer({ resolveWithObject: true });
  return {
    data,
    mime: mimeOf[format],
    ext: extOf[format],
    width: info.width,
    height: info.height,
    ...(options.meta ? { meta: options.meta } : {}),
  };
}
