import { sharp } from "../sharp";
import type { ToolOutput } from "./types";

export const resizeFits = ["cover", "contain", "fill", "inside", "outside"] as const;
export const outputFormats = ["jpeg", "png", "webp", "avif"] as const;
export type OutputFormat = (typeof outputFormats)[number];

export type ResizeOptions = {
  width?: number;
  height?: number;
  fit?: (typeof resizeFits)[number];
  format?: OutputFormat;
  quality?: number;
};

const mimeOf: Record<OutputFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
};
const extOf: Record<OutputFormat, string> = { jpeg: "jpg", png: "png", webp: "webp", avif: "avif" };

/** Pure: bytes + options -> bytes. Keeps the input's format unless one is asked for. */
export async function resizeImage(input: Buffer, options: ResizeOptions): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error" });
  const meta = await source.metadata();
  const format: OutputFormat = options.format ?? asOutputFormat(meta.format);
  const pipeline = source
    .resize({
      width: options.width,
      height: options.height,
      fit: options.fit ?? "inside",
      // A transparent PNG/WebP stays transparent when letterboxed; JPEG gets white.
      background: format === "jpeg" ? "#ffffff" : { r: 0, g: 0, b: 0, alpha: 0 },
      withoutEnlargement: false,
    })
    .toFormat(format, { quality: options.quality ?? defaultQuality(format), mozjpeg: format === "jpeg" });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { data, mime: mimeOf[format], ext: extOf[format], width: info.width, height: info.height };
}

function asOutputFormat(format: string | undefined): OutputFormat {
  return (outputFormats as readonly string[]).includes(format ?? "") ? (format as OutputFormat) : "png";
}

function defaultQuality(format: OutputFormat): number {
  return format === "avif" ? 55 : 82;
}
