// Test support (not a test): the golden composite and cut-outs made from a known mask.
import path from "node:path";
import { sharp } from "../../sharp";
import type { Cutout } from "./cutout";

export const fixtureDir = path.resolve(import.meta.dirname, "../../../../tests/fixtures/images");
export const fixture = (name: string) => path.join(fixtureDir, name);

/** The horse silhouette as a 0/255 mask of the given size (white = horse). */
export async function horseMask(width: number, height: number): Promise<Buffer> {
  return sharp(fixture("horse.png"))
    .flatten({ background: "#ffffff" })
    .greyscale()
    .negate()
    .resize(width, height, { fit: "fill" })
    .threshold(128)
    .extractChannel(0)
    .raw()
    .toBuffer();
}

export const composite = { width: 800, height: 600, subject: { left: 150, top: 120, width: 500, height: 410 } };

/**
 * A horse cut out of the cat photo with the reference mask, pasted over the Hubble deep field:
 * a subject no model has seen on a background it has, with a mask known to the pixel.
 */
export async function goldenComposite(): Promise<{ image: Buffer; mask: Buffer }> {
  const { width, height, subject } = composite;
  const background = await sharp(fixture("hubble_deep_field.jpg"))
    .resize(width, height, { fit: "cover" })
    .removeAlpha()
    .raw()
    .toBuffer();
  const texture = await sharp(fixture("chelsea.png"))
    .resize(subject.width, subject.height, { fit: "cover" })
    .removeAlpha()
    .raw()
    .toBuffer();
  const shape = await horseMask(subject.width, subject.height);
  const cut = await sharp(texture, { raw: { width: subject.width, height: subject.height, channels: 3 } })
    .joinChannel(shape, { raw: { width: subject.width, height: subject.height, channels: 1 } })
    .png()
    .toBuffer();
  const image = await sharp(background, { raw: { width, height, channels: 3 } })
    .composite([{ input: cut, left: subject.left, top: subject.top }])
    .png()
    .toBuffer();
  const mask = await sharp(shape, { raw: { width: subject.width, height: subject.height, channels: 1 } })
    .extend({
      left: subject.left,
      top: subject.top,
      right: width - subject.left - subject.width,
      bottom: height - subject.top - subject.height,
      background: "#000000",
    })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return { image, mask };
}

/** A cut-out without the model: a flat-coloured image and the horse as its mask, for fast layout tests. */
export async function referenceCutout(color = { r: 20, g: 40, b: 160 }): Promise<Cutout> {
  const { width, height } = composite;
  const rgb = await sharp({ create: { width, height, channels: 3, background: color } })
    .raw()
    .toBuffer();
  const { mask } = await goldenComposite();
  return {
    rgb: { data: rgb, width, height, channels: 3 },
    mask: { data: mask, width, height, channels: 1 },
  };
}

/** Pixels of an encoded image, as raw RGBA, for assertions. */
export async function pixelsOf(data: Buffer) {
  const { data: raw, info } = await sharp(data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => {
    const i = (y * info.width + x) * 4;
    return { r: raw[i]!, g: raw[i + 1]!, b: raw[i + 2]!, a: raw[i + 3]! };
  };
  return { raw, width: info.width, height: info.height, at };
}
