import type { z } from "zod";
import { sharp } from "../sharp";
import type { ToolOutput } from "../tools/types";
import { applyOp, startWorking } from "./compose";
import { encodeImage, formatWithAlpha, keptFormat, type OutputFormat } from "./encode";
import type { ImageOp, Size } from "./types";

export type OpEncoding = {
  /** The output format from the input's (default: the input's, PNG or WebP where alpha appears). */
  format?: (kept: OutputFormat) => OutputFormat;
  quality?: number | ((format: OutputFormat) => number | undefined);
  /** Facts for the job result, from the sizes before and after. */
  meta?: (input: Size, output: Size) => Record<string, unknown>;
};

/**
 * One operation on encoded bytes, as a local tool runs it: decode (header first), apply, encode
 * once without metadata. The `/i/` executor applies the same operation objects to its pipeline.
 */
export async function runImageOp<Schema extends z.ZodType>(
  input: Buffer,
  op: ImageOp<Schema>,
  options: z.output<Schema>,
  encoding: OpEncoding = {},
): Promise<ToolOutput> {
  const source = sharp(input, { failOn: "error" });
  const header = await source.metadata();
  const size = { width: header.width, height: header.height };
  const working = await applyOp(startWorking(source, size, !header.hasAlpha), op, options);
  const kept = keptFormat(header.format);
  const format = encoding.format?.(kept) ?? (op.makesAlpha?.(options) ? formatWithAlpha(kept) : kept);
  const quality = typeof encoding.quality === "function" ? encoding.quality(format) : encoding.quality;
  const output = await encodeImage(working.image, format, { quality });
  return encoding.meta ? { ...output, meta: encoding.meta(size, output) } : output;
}
