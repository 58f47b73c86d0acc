import "server-only";
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { Sharp } from "sharp";
import { sharp } from "@/engine/sharp";
import { AppError } from "@/server/errors";

export type NormalizedImage = {
  data: Buffer;
  mime: "image/jpeg" | "image/png" | "image/webp" | "image/avif";
  ext: "jpg" | "png" | "webp" | "avif";
  width: number;
  height: number;
  sha256: string;
};

export type UploadLimits = { maxBytes: number; maxPixels: number };

/** The bytes, or a file holding them (uploads are streamed to disk, never buffered whole). */
export type UploadSource = Buffer | { path: string };

type SniffedFormat = "jpeg" | "png" | "gif" | "webp" | "avif";

const MEBIBYTE = 1024 * 1024;

function startsWith(input: Buffer, bytes: readonly number[], offset = 0): boolean {
  return bytes.every((byte, i) => input[offset + i] === byte);
}

function ascii(input: Buffer, start: number, end: number): string {
  return input.toString("latin1", start, end);
}

/** AVIF is an ISO-BMFF `ftyp` box whose major or compatible brands include avif/avis. */
function isAvif(input: Buffer): boolean {
  if (input.length < 16 || ascii(input, 4, 8) !== "ftyp") return false;
  const boxSize = Math.min(input.readUInt32BE(0), input.length, 4096);
  const brands = [ascii(input, 8, 12)];
  // Bytes 12..16 are the minor version; compatible brands follow, four bytes each.
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) {
    brands.push(ascii(input, offset, offset + 4));
  }
  return brands.includes("avif") || brands.includes("avis");
}

/** Decides the type from content alone: file names and client MIME types are not trusted. */
export function sniffImageFormat(input: Buffer): SniffedFormat | undefined {
  if (startsWith(input, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(input, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (input.length >= 6 && (ascii(input, 0, 6) === "GIF87a" || ascii(input, 0, 6) === "GIF89a")) {
    return "gif";
  }
  if (input.length >= 12 && ascii(input, 0, 4) === "RIFF" && ascii(input, 8, 12) === "WEBP") {
    return "webp";
  }
  if (isAvif(input)) return "avif";
  return undefined;
}

/** Sharp's name for what it actually parsed; a mismatch means the magic bytes lied. */
const sharpFormatOf: Record<SniffedFormat, string> = {
  jpeg: "jpeg",
  png: "png",
  gif: "gif",
  webp: "webp",
  avif: "heif",
};

const outputs = {
  jpeg: {
    mime: "image/jpeg",
    ext: "jpg",
    encode: (s: Sharp) => s.jpeg({ quality: 90, mozjpeg: true }),
  },
  png: { mime: "image/png", ext: "png", encode: (s: Sharp) => s.png() },
  // GIF is stored as a still PNG: animation is not supported, and PNG keeps the palette lossless.
  gif: { mime: "image/png", ext: "png", encode: (s: Sharp) => s.png() },
  webp: { mime: "image/webp", ext: "webp", encode: (s: Sharp) => s.webp({ quality: 90 }) },
  avif: { mime: "image/avif", ext: "avif", encode: (s: Sharp) => s.avif({ quality: 70 }) },
} as const satisfies Record<
  SniffedFormat,
  { mime: NormalizedImage["mime"]; ext: NormalizedImage["ext"]; encode: (s: Sharp) => Sharp }
>;

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function tooLarge(maxPixels: number, cause?: unknown): AppError {
  return new AppError("image_too_large", {
    params: { maxMegapixels: round1(maxPixels / 1_000_000) },
    cause,
  });
}

/**
 * Turns an untrusted upload into a clean image: type checked by content, size and pixel limits
 * enforced before decoding, EXIF orientation applied, every piece of metadata (GPS, camera,
 * ICC, XMP) dropped, first frame only, re-encoded in the same family.
 */
export async function normalizeUpload(source: UploadSource, limits: UploadLimits): Promise<NormalizedImage> {
  const { size, head, input } = await inspect(source);
  if (size > limits.maxBytes) {
    throw new AppError("file_too_large", {
      params: { maxMegabytes: round1(limits.maxBytes / MEBIBYTE) },
    });
  }

  const format = sniffImageFormat(head);
  if (!format) throw new AppError("unsupported_file_type");

  // metadata() reads headers only, so a decompression bomb is refused before any pixel is decoded.
  let metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new AppError("corrupt_image", { cause: error });
  }
  if (metadata.format !== sharpFormatOf[format]) {
    throw new AppError("corrupt_image", {
      message: `Content starts like ${format} but parses as ${metadata.format}`,
    });
  }
  // HEIC shares the container with AVIF; the bundled libheif only decodes AV1.
  if (format === "avif" && metadata.compression !== "av1") {
    throw new AppError("unsupported_file_type");
  }
  const { width, height } = metadata;
  if (!width || !height) throw new AppError("corrupt_image");
  // Animated images report one frame's height here; only the first frame is decoded below.
  if (width * height > limits.maxPixels) throw tooLarge(limits.maxPixels);

  const output = outputs[format];
  let result: { data: Buffer; info: { width: number; height: number } };
  try {
    const pipeline = sharp(input, {
      // Second guard, in case a loader sees different dimensions than the header read above.
      limitInputPixels: limits.maxPixels,
      // Truncated data aborts instead of being padded with grey; mere decoder warnings (common
      // in camera JPEGs) do not, so real photos are not refused for cosmetic defects.
      failOn: "truncated",
      autoOrient: true,
      pages: 1,
      page: 0,
    });
    // No keepMetadata()/withMetadata(): sharp converts to sRGB and strips EXIF, ICC and XMP.
    result = await output.encode(pipeline).toBuffer({ resolveWithObject: true });
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw tooLarge(limits.maxPixels, error);
    }
    throw new AppError("corrupt_image", { cause: error });
  }

  return {
    data: result.data,
    mime: output.mime,
    ext: output.ext,
    width: result.info.width,
    height: result.info.height,
    sha256: createHash("sha256").update(result.data).digest("hex"),
  };
}

/** Size, the first bytes (enough for sniffing, AVIF's ftyp box included) and what sharp reads. */
async function inspect(source: UploadSource): Promise<{ size: number; head: Buffer; input: Buffer | string }> {
  if (Buffer.isBuffer(source)) return { size: source.length, head: source, input: source };
  const handle = await open(source.path, "r");
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
    return { size, head, input: source.path };
  } finally {
    await handle.close();
  }
}
