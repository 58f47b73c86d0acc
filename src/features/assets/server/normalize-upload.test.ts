import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sharp } from "@/engine/sharp";
import { isAppError } from "@/server/errors";
import { normalizeUpload, sniffImageFormat, type UploadLimits } from "./normalize-upload";

const fixtures = path.resolve(__dirname, "../../../../tests/fixtures/images");
const chelseaPng = readFileSync(path.join(fixtures, "chelsea.png")); // 451×300
const hubbleJpg = readFileSync(path.join(fixtures, "hubble_deep_field.jpg")); // 1000×872

const limits: UploadLimits = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000 };

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

// A PNG header that claims huge dimensions over a tiny IDAT: the shape of a decompression bomb,
// made in microseconds instead of compressing gigabytes.
function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const firstRows = deflateSync(Buffer.alloc(4 * (1 + width * 3)), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", firstRows),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function solid(background: string) {
  return sharp({ create: { width: 40, height: 30, channels: 3, background } })
    .png()
    .toBuffer();
}

async function topLeftPixel(image: Buffer) {
  const data = await sharp(image).extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer();
  return [...data.subarray(0, 3)];
}

describe("normalizeUpload limits", () => {
  it("refuses a file over maxBytes before looking at it", async () => {
    const big = Buffer.alloc(26 * 1024 * 1024);
    hubbleJpg.copy(big); // a real JPEG start: only the size check can explain the error
    const error = await rejection(normalizeUpload(big, limits));
    expect(error.code).toBe("file_too_large");
    expect(error.params).toEqual({ maxMegabytes: 25 });
  });

  it("refuses a 20000×20000 PNG from its header, without decoding", async () => {
    const bomb = pngClaiming(20_000, 20_000);
    expect(bomb.length).toBeLessThan(10_000);
    // Sharp itself would refuse this header too (default limit), so look with the limit off.
    const header = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect(header).toMatchObject({ width: 20_000, height: 20_000 });
    const started = performance.now();
    const error = await rejection(normalizeUpload(bomb, limits));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.code).toBe("image_too_large");
    expect(error.params).toEqual({ maxMegapixels: 40 });
  });

  it("counts pixels against maxPixels exactly", async () => {
    const pixels = 451 * 300;
    const exact = await normalizeUpload(chelseaPng, { ...limits, maxPixels: pixels });
    expect(exact.width * exact.height).toBe(pixels);
    const oneLess = { ...limits, maxPixels: pixels - 1 };
    const error = await rejection(normalizeUpload(chelseaPng, oneLess));
    expect(error.code).toBe("image_too_large");
  });
});

describe("normalizeUpload type detection", () => {
  it("refuses a text file, whatever its name", async () => {
    const error = await rejection(normalizeUpload(Buffer.from("just some notes.png\n"), limits));
    expect(error.code).toBe("unsupported_file_type");
  });

  it.each([
    ["empty", Buffer.alloc(0)],
    ["svg", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')],
    ["bmp", Buffer.from("BM\0\0\0\0\0\0\0\0\x36\0\0\0", "latin1")],
    ["tiff", Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0])],
    ["pdf", Buffer.from("%PDF-1.7\n")],
    ["heic", Buffer.from("\0\0\0\x18ftypheic\0\0\0\0mif1heic", "latin1")],
  ])("refuses %s", async (_name, input) => {
    expect((await rejection(normalizeUpload(input, limits))).code).toBe("unsupported_file_type");
  });

  it("calls a file corrupt when its magic bytes promise an image that is not there", async () => {
    const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const fake = Buffer.concat([pngSignature, Buffer.from("nope")]);
    expect((await rejection(normalizeUpload(fake, limits))).code).toBe("corrupt_image");
  });

  it("refuses a truncated JPEG as corrupt", async () => {
    const truncated = hubbleJpg.subarray(0, Math.floor(hubbleJpg.length * 0.6));
    expect((await rejection(normalizeUpload(truncated, limits))).code).toBe("corrupt_image");
  });

  it("refuses a truncated PNG as corrupt", async () => {
    const truncated = chelseaPng.subarray(0, Math.floor(chelseaPng.length * 0.6));
    expect((await rejection(normalizeUpload(truncated, limits))).code).toBe("corrupt_image");
  });

  it("sniffs every accepted format from its content", async () => {
    const base = sharp(chelseaPng);
    expect(sniffImageFormat(hubbleJpg)).toBe("jpeg");
    expect(sniffImageFormat(chelseaPng)).toBe("png");
    expect(sniffImageFormat(await base.clone().gif().toBuffer())).toBe("gif");
    expect(sniffImageFormat(await base.clone().webp().toBuffer())).toBe("webp");
    expect(sniffImageFormat(await base.clone().avif().toBuffer())).toBe("avif");
    expect(sniffImageFormat(Buffer.from("RIFF\0\0\0\0WAVEfmt ", "latin1"))).toBeUndefined();
  });
});

describe("normalizeUpload output", () => {
  it.each([
    ["jpeg", "jpeg", "image/jpeg", "jpg"],
    ["png", "png", "image/png", "png"],
    ["webp", "webp", "image/webp", "webp"],
    ["avif", "heif", "image/avif", "avif"],
    ["gif", "png", "image/png", "png"],
  ] as const)("turns %s into %s (%s)", async (inFormat, outFormat, mime, ext) => {
    const input = await sharp(chelseaPng).toFormat(inFormat).toBuffer();
    const result = await normalizeUpload(input, limits);
    expect(result).toMatchObject({ mime, ext, width: 451, height: 300 });
    expect(result.sha256).toBe(createHash("sha256").update(result.data).digest("hex"));
    const meta = await sharp(result.data).metadata();
    expect(meta).toMatchObject({ format: outFormat, width: 451, height: 300 });
    // Fully decodable, not just a valid header.
    await expect(sharp(result.data, { failOn: "warning" }).raw().toBuffer()).resolves.toBeDefined();
  });

  it("keeps a real camera-size JPEG as JPEG", async () => {
    const result = await normalizeUpload(hubbleJpg, limits);
    expect(result).toMatchObject({ mime: "image/jpeg", ext: "jpg", width: 1000, height: 872 });
  });

  it("is deterministic, so sha256 can deduplicate uploads", async () => {
    const a = await normalizeUpload(chelseaPng, limits);
    const b = await normalizeUpload(chelseaPng, limits);
    expect(a.sha256).toBe(b.sha256);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["GIF", "gif", "image/png"],
    ["WebP", "webp", "image/webp"],
  ] as const)("keeps only the first frame of an animated %s", async (_name, format, mime) => {
    const frames = [await solid("#ff0000"), await solid("#0000ff")];
    const animated = await sharp(frames, { join: { animated: true } })
      [format]()
      .toBuffer();
    expect((await sharp(animated).metadata()).pages).toBe(2);

    const result = await normalizeUpload(animated, limits);
    expect(result).toMatchObject({ mime, width: 40, height: 30 });
    const meta = await sharp(result.data).metadata();
    expect(meta.pages ?? 1).toBe(1);
    expect(meta.height).toBe(30);
    const [r, g, b] = await topLeftPixel(result.data);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(50);
    expect(b).toBeLessThan(50);
  });

  it("strips EXIF (including GPS), ICC and XMP", async () => {
    const input = await sharp(hubbleJpg)
      .withExif({
        IFD0: { Artist: "Jane Doe", Make: "PixelPhone" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "48/1 8/1 0/1",
          GPSLongitudeRef: "E",
          GPSLongitude: "11/1 34/1 0/1",
        },
      })
      .withIccProfile("p3")
      .withXmp(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">' +
          '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
          '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
          "<dc:creator>Jane Doe</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>",
      )
      .jpeg()
      .toBuffer();
    const before = await sharp(input).metadata();
    expect(before.exif).toBeDefined();
    expect(before.icc).toBeDefined();
    expect(before.xmp).toBeDefined();
    // Little-endian EXIF, as libexif writes it: tag 0x8825 points to the GPS directory.
    expect(before.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    expect(input.includes("Jane Doe")).toBe(true);

    const result = await normalizeUpload(input, limits);
    const after = await sharp(result.data).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(result.data.includes("Jane Doe")).toBe(false);
    expect(result.data.includes("PixelPhone")).toBe(false);
    expect(result.data.includes("Exif\0\0")).toBe(false);
  });

  it("applies EXIF orientation 6 and drops the tag", async () => {
    const input = await sharp(chelseaPng).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const before = await sharp(input).metadata();
    expect(before).toMatchObject({ width: 451, height: 300, orientation: 6 });

    const result = await normalizeUpload(input, limits);
    expect(result).toMatchObject({ width: 300, height: 451 });
    const meta = await sharp(result.data).metadata();
    expect(meta).toMatchObject({ width: 300, height: 451 });
    expect(meta.orientation).toBeUndefined();
    // Rotated 90° clockwise: the old bottom-left corner is now the top-left one.
    const expected = await topLeftPixel(await sharp(chelseaPng).rotate(90).png().toBuffer());
    const actual = await topLeftPixel(result.data);
    actual.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(30));
  });
});

describe("normalizeUpload from a file (how uploads arrive: streamed to disk)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "normalize-upload-"));
  const fileOf = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return { path: file };
  };

  it("gives exactly what the same bytes in memory give", async () => {
    for (const [name, bytes] of [
      ["hubble.jpg", hubbleJpg],
      ["chelsea.png", chelseaPng],
    ] as const) {
      const fromFile = await normalizeUpload(fileOf(name, bytes), limits);
      const fromMemory = await normalizeUpload(bytes, limits);
      expect(fromFile).toEqual(fromMemory);
    }
  });

  it("applies the same checks: type by content, size, pixels from the header, truncation", async () => {
    expect((await rejection(normalizeUpload(fileOf("notes.png", Buffer.from("just notes\n")), limits))).code).toBe(
      "unsupported_file_type",
    );
    expect((await rejection(normalizeUpload(fileOf("big.jpg", hubbleJpg), { ...limits, maxBytes: 1000 }))).code).toBe(
      "file_too_large",
    );
    expect((await rejection(normalizeUpload(fileOf("bomb.png", pngClaiming(20_000, 20_000)), limits))).code).toBe(
      "image_too_large",
    );
    const cut = hubbleJpg.subarray(0, Math.floor(hubbleJpg.length * 0.6));
    expect((await rejection(normalizeUpload(fileOf("cut.jpg", cut), limits))).code).toBe("corrupt_image");
    expect((await rejection(normalizeUpload(fileOf("empty.png", Buffer.alloc(0)), limits))).code).toBe(
      "unsupported_file_type",
    );
  });
});
