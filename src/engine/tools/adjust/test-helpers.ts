import { readFileSync } from "node:fs";
import { sharp } from "../../sharp";

/** Real photos from tests/fixtures/images (see SOURCES.md there). */
export function fixture(name: string): Buffer {
  return readFileSync(`tests/fixtures/images/${name}`);
}

export function solid(width: number, height: number, colour: string, format: "png" | "jpeg" | "webp" = "png") {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer();
}

/** RGBA of one pixel. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * 4;
  return [...data.subarray(offset, offset + 4)];
}

/** Nothing but pixels: no EXIF, XMP, IPTC or ICC profile in the output. */
export async function expectNoMetadata(image: Buffer): Promise<void> {
  const meta = await sharp(image).metadata();
  const carried = { exif: meta.exif, xmp: meta.xmp, iptc: meta.iptc, icc: meta.icc };
  if (Object.values(carried).some((value) => value !== undefined)) {
    throw new Error(
      `output carries metadata: ${Object.keys(carried)
        .filter((k) => carried[k as keyof typeof carried])
        .join(", ")}`,
    );
  }
}

/** A JPEG carrying EXIF (with GPS-like data in the comment) and an ICC profile, to see it dropped. */
export async function jpegWithMetadata(source: Buffer): Promise<Buffer> {
  return sharp(source)
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: "someone", ImageDescription: "secret place" } } })
    .withIccProfile("p3")
    .toBuffer();
}
