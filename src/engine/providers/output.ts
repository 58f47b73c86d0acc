import { sharp } from "../sharp";
import { encodeImage, keptFormat } from "../tools/encode";
import type { ToolOutput } from "../tools/types";
import { ProviderError } from "./errors";

/**
 * A vendor's image as an output: decoded to prove it is one (anything else is a malformed answer,
 * so the pipeline tries the next provider) and re-encoded without metadata in its own format.
 */
export async function imageOutput(data: Buffer, meta?: Record<string, unknown>): Promise<ToolOutput> {
  let format: string | undefined;
  try {
    format = (await sharp(data).metadata()).format;
  } catch (error) {
    throw new ProviderError("malformed", "the provider's answer is not an image", { cause: error });
  }
  try {
    return await encodeImage(sharp(data, { failOn: "truncated" }).autoOrient(), keptFormat(format), { meta });
  } catch (error) {
    throw new ProviderError("malformed", "the provider's image could not be decoded", { cause: error });
  }
}

/** `data:image/png;base64,...` to bytes; undefined when it is not a data URL. */
export function decodeDataUrl(url: string): { data: Buffer; mime: string } | undefined {
  const match = /^data:([\w.+-]+\/[\w.+-]+)?(;[^,]*)?;base64,([A-Za-z0-9+/=\s_-]+)$/.exec(url.trim());
  if (!match) return undefined;
  return { data: Buffer.from(match[3]!.replace(/\s/g, ""), "base64"), mime: match[1] ?? "application/octet-stream" };
}

/** MP4 and WebM by their first bytes: vendors' videos are checked like their images. */
export function videoOutput(
  data: Buffer,
  size: { width: number; height: number },
  meta?: Record<string, unknown>,
): ToolOutput {
  const isMp4 = data.length > 12 && data.subarray(4, 8).toString("latin1") === "ftyp";
  const isWebm = data.length > 4 && data.readUInt32BE(0) === 0x1a45dfa3;
  if (!isMp4 && !isWebm) throw new ProviderError("malformed", "the provider's answer is not a video");
  return {
    data,
    mime: isMp4 ? "video/mp4" : "video/webm",
    ext: isMp4 ? "mp4" : "webm",
    width: size.width,
    height: size.height,
    meta,
  };
}
