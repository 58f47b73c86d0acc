import { z } from "zod";
import { sharp } from "../sharp";
import { applyOp, startWorking } from "../image-ops/compose";
import { encodeImage, keptFormat, outputFormats } from "../image-ops/encode";
import { resizeFits, resizeOp } from "../image-ops/resize";
import type { ToolOutput } from "./types";

export { outputFormats } from "../image-ops/encode";
export { resizeFits } from "../image-ops/resize";

export const resizeOptions = z.object({
  width: z.number().int().min(1).max(8000).optional(),
  height: z.number().int().min(1).max(8000).optional(),
  fit: z.enum(resizeFits).optional(),
  format: z.enum(outputFormats).optional(),
  quality: z.number().int().min(1).max(100).optional(),
});
export type ResizeOptions = z.input<typeof resizeOptions>;

/** Pure: bytes + options -> bytes. Keeps the input's format unless one is asked for. */
export async function resizeImage(input: Buffer, options: ResizeOptions): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error" });
  const header = await source.metadata();
  const format = options.format ?? keptFormat(header.format);
  const working = await applyOp(startWorking(source, { width: header.width, height: header.height }), resizeOp, {
    width: options.width,
    height: options.height,
    fit: options.fit ?? "inside",
    position: "centre",
    // A transparent PNG/WebP stays transparent when letterboxed; JPEG gets white.
    background: format === "jpeg" ? "#ffffff" : "transparent",
  });
  return encodeImage(working.image, format, { quality: options.quality });
}
