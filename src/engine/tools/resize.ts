import { sharp } from "../sharp";
import { encodeImage, keptFormat, type OutputFormat } from "./encode";
import type { ToolOutput } from "./types";

export { outputFormats, type OutputFormat } from "./encode";
export const resizeFits = ["cover", "contain", "fill", "inside", "outside"] as const;

export type ResizeOptions = {
  width?: number;
  height?: number;
  fit?: (typeof resizeFits)[number];
  format?: OutputFormat;
  quality?: number;
};

/** Pure: bytes + options -> bytes. Keeps the input's format unless one is asked for. */
export async function resizeImage(input: Buffer, options: ResizeOptions): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error" });
  const format = options.format ?? keptFormat((await source.metadata()).format);
  const pipeline = source.resize({
    width: options.width,
    height: options.height,
    fit: options.fit ?? "inside",
    // A transparent PNG/WebP stays transparent when letterboxed; JPEG gets white.
    background: format === "jpeg" ? "#ffffff" : { r: 0, g: 0, b: 0, alpha: 0 },
  });
  return encodeImage(pipeline, format, { quality: options.quality });
}
