import { sharp } from "../../sharp";
import { cutoutWithAlpha, type Box, type Cutout } from "./cutout";
import { fromRaw, type RawImage } from "./encode";
import type { Size } from "./backgrounds";

export const subjectPositions = [
  "center",
  "top",
  "bottom",
  "left",
  "right",
  "top-left",
  "top-right",
  "bottom-left",
  "bottom-right",
] as const;
export type SubjectPosition = (typeof subjectPositions)[number];

export type Placement = { left: number; top: number; width: number; height: number };

/**
 * Scales a box to fit the canvas inset by `paddingPercent` of its width and height on each side,
 * keeping its aspect, and aligns it at `position` inside that inset.
 */
export function fitInto(box: Size, canvas: Size, paddingPercent: number, position: SubjectPosition): Placement {
  const padX = (canvas.width * paddingPercent) / 100;
  const padY = (canvas.height * paddingPercent) / 100;
  const inner = { width: Math.max(1, canvas.width - 2 * padX), height: Math.max(1, canvas.height - 2 * padY) };
  const scale = Math.min(inner.width / box.width, inner.height / box.height);
  const width = Math.max(1, Math.round(box.width * scale));
  const height = Math.max(1, Math.round(box.height * scale));
  const horizontal = position.includes("left") ? "start" : position.includes("right") ? "end" : "middle";
  const vertical = position.startsWith("top") ? "start" : position.startsWith("bottom") ? "end" : "middle";
  const align = (side: "start" | "middle" | "end", pad: number, free: number) =>
    Math.round(side === "start" ? pad : side === "end" ? pad + free : pad + free / 2);
  return {
    left: align(horizontal, padX, inner.width - width),
    top: align(vertical, padY, inner.height - height),
    width,
    height,
  };
}

/** The subject as RGBA raw, cropped to `box` and scaled to the placement's size. */
export async function subjectLayer(cutout: Cutout, box: Box, size: Size): Promise<RawImage> {
  // Two passes: sharp would otherwise crop and resize before joining the mask channel.
  const rgba = await cutoutWithAlpha(cutout).raw().toBuffer();
  const whole = box.left === 0 && box.top === 0 && box.width === cutout.rgb.width && box.height === cutout.rgb.height;
  if (whole && size.width === box.width && size.height === box.height) return { data: rgba, ...size, channels: 4 };
  const data = await sharp(rgba, { raw: { width: cutout.rgb.width, height: cutout.rgb.height, channels: 4 } })
    .extract(box)
    .resize(size.width, size.height, { fit: "fill" })
    .raw()
    .toBuffer();
  return { data, ...size, channels: 4 };
}

/** The alpha channel of an RGBA raw image, as a one-channel raw image. */
export async function alphaOf(image: RawImage): Promise<RawImage> {
  const data = await fromRaw(image).extractChannel(3).raw().toBuffer();
  return { data, width: image.width, height: image.height, channels: 1 };
}

/** Layers over an opaque background, flattened to RGB raw (no alpha left for JPEG or PNG). */
export async function flattenLayers(
  background: RawImage,
  layers: { image: RawImage; left: number; top: number }[],
): Promise<RawImage> {
  const { data, info } = await fromRaw(background)
    .composite(
      layers.map(({ image, left, top }) => ({
        input: image.data,
        raw: { width: image.width, height: image.height, channels: image.channels },
        left,
        top,
      })),
    )
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb =
    info.channels === 3
      ? data
      : await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
          .removeAlpha()
          .raw()
          .toBuffer();
  return { data: rgb, width: info.width, height: info.height, channels: 3 };
}
