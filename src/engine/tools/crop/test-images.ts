import { readFileSync } from "node:fs";
import { sharp } from "../../sharp";

/** Real photos from tests/fixtures/images (attribution in SOURCES.md there). */
export function fixture(name: string): Buffer {
  return readFileSync(`tests/fixtures/images/${name}`);
}

/** The metadata an output must not carry (EXIF with GPS, XMP, IPTC, ICC profiles). */
export async function metadataOf(image: Buffer) {
  const meta = await sharp(image).metadata();
  return { exif: meta.exif, xmp: meta.xmp, iptc: meta.iptc, icc: meta.icc, orientation: meta.orientation };
}

/** A JPEG with EXIF, a P3 ICC profile and an orientation tag, to see all of it handled. */
export function jpegWithMetadata(source: Buffer, orientation?: number): Promise<Buffer> {
  return sharp(source)
    .jpeg()
    .withMetadata({ orientation, exif: { IFD0: { Copyright: "someone", ImageDescription: "a secret place" } } })
    .withIccProfile("p3")
    .toBuffer();
}

/** Detail in a region: the standard deviation of a Laplacian (blurred areas score low). */
export async function sharpness(
  image: Buffer,
  region: { left: number; top: number; width: number; height: number },
): Promise<number> {
  // stats() would describe the input, not the pipeline's result: read the raw pixels instead.
  const laplacian = await sharp(image)
    .extract(region)
    .greyscale()
    .convolve({ width: 3, height: 3, kernel: [0, 1, 0, 1, -4, 1, 0, 1, 0], scale: 1, offset: 128 })
    .raw()
    .toBuffer();
  const mean = laplacian.reduce((sum, v) => sum + v, 0) / laplacian.length;
  return Math.sqrt(laplacian.reduce((sum, v) => sum + (v - mean) ** 2, 0) / laplacian.length);
}
