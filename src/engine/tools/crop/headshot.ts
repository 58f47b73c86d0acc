import type { Sharp } from "sharp";
import { sharp } from "../../sharp";
import { cutOutSubject, type ToolHooks } from "../background/cutout";
import type { ToolOutput } from "../types";
import { detectFaces } from "./detect-faces";
import { encodeImage, keptFormat } from "../../image-ops/encode";
import { headshotSquare, largestCrop, type Rect } from "./geometry";
import { attentionCrop, orientedSize } from "./smart-crop";

export const headshotSizeNames = ["profile", "linkedin-banner"] as const;
export type HeadshotSize = (typeof headshotSizeNames)[number];
export const headshotSizes: Record<HeadshotSize, { width: number; height: number }> = {
  profile: { width: 800, height: 800 },
  "linkedin-banner": { width: 1584, height: 396 },
};
export const headshotBackgrounds = ["blur", "color"] as const;
export type HeadshotOptions = {
  size?: HeadshotSize;
  background?: (typeof headshotBackgrounds)[number];
  color?: string;
};
export const defaultBrandColor = "#e8edf2";

/** Where the face sits across a banner: right of centre, leaving the left for the profile photo. */
const bannerFaceX = 0.68;

type Size = { width: number; height: number };

/**
 * Profile headshot: a head-and-shoulders square around the largest face, a gentle retouch (levels,
 * saturation, sharpening), then 800×800 — or a 1584×396 LinkedIn banner with the face right of
 * centre. Background "blur" keeps the photo's own surroundings, blurred outside a soft
 * head-and-shoulders silhouette; "color" cuts the person out (ISNet background removal) and puts
 * them on a brand colour. Without a face it crops by subject and says so (faceFound: false).
 */
export async function makeHeadshot(
  input: Buffer,
  options: HeadshotOptions = {},
  hooks: ToolHooks = {},
): Promise<ToolOutput> {
  const sizeName = options.size ?? "profile";
  const target = headshotSizes[sizeName];
  const metadata = await sharp(input, { failOn: "error", autoOrient: true }).metadata();
  const image = orientedSize(metadata);

  const detection = await detectFaces(input);
  const face = detection.faces[0];
  const square = face
    ? headshotSquare(face, image)
    : await attentionCrop(input, image, largestCrop(image.width, image.height, { width: 1, height: 1 }));
  await hooks.onProgress?.(0.1);

  // Everything happens at the output's scale: the portrait square becomes as tall as the output.
  const side = target.height;
  const scale = side / square.height;
  const faceInSquare = face
    ? {
        x: (face.x + face.width / 2 - square.left) * scale,
        y: (face.y + face.height / 2 - square.top) * scale,
        size: Math.max(face.width, face.height) * scale,
      }
    : { x: side / 2, y: side * 0.4, size: side / 3.2 };
  // The portrait's left edge on the canvas: 0 for a profile, face right of centre on a banner.
  const portraitLeft = sizeName === "profile" ? 0 : Math.round(bannerFaceX * target.width - faceInSquare.x);
  const frame = framing(image, square, scale, portraitLeft, target);
  const photo = sharp(input, { failOn: "error", autoOrient: true }).flatten({ background: "#ffffff" });
  const retouched = await retouch(await cutFrame(photo, frame, target, 3), target);

  let mask: Buffer;
  let background: Buffer;
  const color = options.color ?? defaultBrandColor;
  if (options.background === "color") {
    const cutout = await cutOutSubject(input, {
      quality: "standard",
      signal: hooks.signal,
      onProgress: (f) => hooks.onProgress?.(0.1 + 0.8 * f),
    });
    const { data, width, height } = cutout.mask;
    mask = await cutFrame(sharp(data, { raw: { width, height, channels: 1 } }), frame, target, 1);
    background = await sharp({ create: { ...target, channels: 3, background: color } })
      .raw({ depth: "uchar" })
      .toBuffer();
  } else {
    mask = await personMask(target, { x: portraitLeft + faceInSquare.x, y: faceInSquare.y, size: faceInSquare.size });
    background =
      sizeName === "profile"
        ? await rawImage(retouched, target)
            .blur(Math.max(4, side / 50))
            .raw({ depth: "uchar" })
            .toBuffer()
        : await backdrop(input, image, target);
  }
  const foreground = await rawImage(retouched, target)
    .joinChannel(mask, { raw: { ...target, channels: 1 } })
    .raw({ depth: "uchar" })
    .toBuffer();
  const output = rawImage(background, target)
    .composite([{ input: foreground, raw: { ...target, channels: 4 } }])
    .removeAlpha(); // composite adds an alpha channel; the result is opaque
  return encodeImage(output, keptFormat(metadata.format), {
    meta: {
      size: sizeName,
      focus: face ? "face" : "subject",
      faceFound: Boolean(face),
      faces: detection.faces.length,
      background: options.background === "color" ? "color" : "blur",
      ...(options.background === "color" ? { color } : {}),
      crop: square,
    },
  });
}

type Frame = {
  scaled: Size;
  left: number;
  top: number;
  pad: { left: number; right: number; top: number; bottom: number };
};

/**
 * Where the output canvas lies on the photo scaled so the square is as tall as the output, with the
 * portrait at `portraitLeft`. A banner is wider than most photos: `pad` is what lies beyond them.
 */
function framing(image: Size, square: Rect, scale: number, portraitLeft: number, target: Size): Frame {
  const scaled = {
    width: Math.max(1, Math.round(image.width * scale)),
    height: Math.max(1, Math.round(image.height * scale)),
  };
  const left = Math.round(square.left * scale) - portraitLeft;
  const top = Math.round(square.top * scale);
  const pad = {
    left: Math.max(0, -left),
    right: Math.max(0, left + target.width - scaled.width),
    top: Math.max(0, -top),
    bottom: Math.max(0, top + target.height - scaled.height),
  };
  return { scaled, left, top, pad };
}

/**
 * Cuts the frame out of an image (the photo, or its subject mask): beyond the photo the edge
 * pixels are stretched outwards (a mirror would show a ghost of the person); the mask gets black.
 */
async function cutFrame(source: Sharp, frame: Frame, target: Size, channels: 1 | 3): Promise<Buffer> {
  const extended = await source
    .resize(frame.scaled.width, frame.scaled.height, { fit: "fill", kernel: channels === 1 ? "linear" : "lanczos3" })
    .extend(channels === 1 ? { ...frame.pad, background: "#000000" } : { ...frame.pad, extendWith: "copy" })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  const region = sharp(extended.data, {
    raw: { width: extended.info.width, height: extended.info.height, channels: extended.info.channels },
  }).extract({
    left: frame.left + frame.pad.left,
    top: frame.top + frame.pad.top,
    width: target.width,
    height: target.height,
  });
  return (channels === 1 ? region.extractChannel(0) : region.removeAlpha()).raw({ depth: "uchar" }).toBuffer();
}

/**
 * A banner is far wider than a photo, and any zoomed or mirrored copy of it shows a ghost of the
 * person. Behind the person goes a wash of the photo's own colours instead: its upper half (more
 * background, less clothing) averaged down to 6×2 pixels and stretched smoothly over the banner.
 */
async function backdrop(input: Buffer, image: Size, target: Size): Promise<Buffer> {
  const swatches = await sharp(input, { failOn: "error", autoOrient: true })
    .flatten({ background: "#ffffff" })
    .extract({ left: 0, top: 0, width: image.width, height: Math.max(1, Math.ceil(image.height / 2)) })
    .resize(6, 2, { fit: "fill", kernel: "linear" })
    .raw({ depth: "uchar" })
    .toBuffer();
  return sharp(swatches, { raw: { width: 6, height: 2, channels: 3 } })
    .resize(target.width, target.height, { fit: "fill", kernel: "cubic" })
    .blur(target.height / 8)
    .raw({ depth: "uchar" })
    .toBuffer();
}

/** Gentle: stretch levels (0.5%/99.5% clipped), a touch of saturation, light sharpening. */
function retouch(rgb: Buffer, size: Size): Promise<Buffer> {
  return rawImage(rgb, size)
    .normalise({ lower: 0.5, upper: 99.5 })
    .modulate({ saturation: 1.05 })
    .sharpen({ sigma: 0.7, m1: 0.3, m2: 1.5 })
    .raw({ depth: "uchar" })
    .toBuffer();
}

/**
 * A soft head-and-shoulders silhouette around the face: an ellipse for the head and hair, a wider
 * one for the shoulders, feathered by a blur. White keeps the pixel sharp, black blurs it.
 */
async function personMask(size: Size, face: { x: number; y: number; size: number }): Promise<Buffer> {
  const s = face.size;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}">
    <rect width="100%" height="100%" fill="#000"/>
    <ellipse cx="${face.x}" cy="${face.y - 0.15 * s}" rx="${0.85 * s}" ry="${1.15 * s}" fill="#fff"/>
    <rect x="${face.x - 0.45 * s}" y="${face.y + 0.3 * s}" width="${0.9 * s}" height="${1.2 * s}" fill="#fff"/>
    <ellipse cx="${face.x}" cy="${face.y + 2.6 * s}" rx="${2.3 * s}" ry="${1.4 * s}" fill="#fff"/>
  </svg>`;
  return sharp(Buffer.from(svg))
    .extractChannel(0)
    .blur(Math.max(2, s * 0.18))
    .raw({ depth: "uchar" })
    .toBuffer();
}

function rawImage(rgb: Buffer, size: Size) {
  return sharp(rgb, { raw: { width: size.width, height: size.height, channels: 3 } });
}
