import { sharp } from "../../sharp";
import type { ToolOutput } from "../types";
import type { Size } from "./backgrounds";
import { subjectBox } from "./cutout";
import { encodeImage } from "../../image-ops/encode";
import { decodeRaw, fromRaw, type AlphaFormat, type RawImage } from "./encode";
import { alphaOf } from "./layout";

export type ShadowSpec = { sigma: number; opacity: number };

/**
 * A black RGBA layer of the canvas' size whose alpha is `alpha` placed at (left, top), clipped to
 * the canvas, blurred and scaled by the opacity.
 */
export async function renderShadow(
  alpha: RawImage,
  at: { left: number; top: number },
  canvas: Size,
  spec: ShadowSpec,
): Promise<RawImage> {
  const from = { x: Math.max(0, -at.left), y: Math.max(0, -at.top) };
  const to = { x: Math.max(0, at.left), y: Math.max(0, at.top) };
  const width = Math.min(alpha.width - from.x, canvas.width - to.x);
  const height = Math.min(alpha.height - from.y, canvas.height - to.y);
  let placed: Buffer;
  if (width <= 0 || height <= 0) {
    placed = Buffer.alloc(canvas.width * canvas.height);
  } else {
    placed = await fromRaw(alpha)
      .extract({ left: from.x, top: from.y, width, height })
      .extend({
        left: to.x,
        top: to.y,
        right: canvas.width - to.x - width,
        bottom: canvas.height - to.y - height,
        background: "#000000",
      })
      .extractChannel(0)
      .raw()
      .toBuffer();
  }
  // A second pass, so the blur runs after the extend and spreads into the new margin.
  let shadow = sharp(placed, { raw: { ...canvas, channels: 1 } });
  if (spec.sigma >= 0.3) shadow = shadow.blur(spec.sigma);
  const shadowAlpha = await shadow.linear(spec.opacity, 0).extractChannel(0).raw().toBuffer();
  const data = await sharp({ create: { ...canvas, channels: 3, background: "#000000" } })
    .joinChannel(shadowAlpha, { raw: { ...canvas, channels: 1 } })
    .raw()
    .toBuffer();
  return { data, ...canvas, channels: 4 };
}

export type DropShadowOptions = {
  /** Where the light comes from, clockwise on screen: 0 right, 90 below, 180 left, 270 above. */
  azimuth?: number;
  /** Height of the light, 0-90: lower light throws a longer, softer shadow; 90 is straight above. */
  elevation?: number;
  /** Shadow opacity, 0-100. */
  strength?: number;
  format?: AlphaFormat;
};

/** ImageKit's e-dropshadow defaults: light from the upper left, halfway up, a fairly dark shadow. */
export const dropShadowDefaults = { azimuth: 215, elevation: 45, strength: 60 } as const;

/** Offset and softness from the light's direction and height, in proportion to the subject. */
export function shadowGeometry(subject: Size, options: DropShadowOptions) {
  const { azimuth, elevation, strength } = { ...dropShadowDefaults, ...options };
  const extent = Math.max(subject.width, subject.height);
  const distance = extent * 0.15 * (1 - Math.min(90, Math.max(0, elevation)) / 90);
  const radians = (azimuth * Math.PI) / 180;
  // "+ 0" turns -0 into 0.
  return {
    dx: Math.round(-Math.cos(radians) * distance) + 0,
    dy: Math.round(-Math.sin(radians) * distance) + 0,
    sigma: extent * 0.012 + distance * 0.15,
    opacity: Math.min(100, Math.max(0, strength)) / 100,
  };
}

/** Pure: a cut-out -> the cut-out over its shadow, on a transparent canvas grown to hold the shadow. */
export async function addDropShadow(input: Buffer, options: DropShadowOptions = {}): Promise<ToolOutput> {
  const image = await decodeRaw(input, { alpha: true });
  const alpha = await alphaOf(image);
  const box = (await subjectBox(alpha)) ?? { left: 0, top: 0, width: image.width, height: image.height };
  const { dx, dy, sigma, opacity } = shadowGeometry(box, options);
  const reach = Math.ceil(sigma * 3);
  // Grow only as far as the shadow goes past the image's own (possibly transparent) edges.
  const left = Math.max(0, reach - dx - box.left);
  const top = Math.max(0, reach - dy - box.top);
  const right = Math.max(0, box.left + box.width + dx + reach - image.width);
  const bottom = Math.max(0, box.top + box.height + dy + reach - image.height);
  const canvas = { width: image.width + left + right, height: image.height + top + bottom };
  const shadow = await renderShadow(alpha, { left: left + dx, top: top + dy }, canvas, { sigma, opacity });
  const composed = fromRaw(shadow).composite([
    { input: image.data, raw: { width: image.width, height: image.height, channels: 4 }, left, top },
  ]);
  return encodeImage(composed, options.format ?? "png", {
    quality: 90,
    meta: { expanded: { left, top, right, bottom } },
  });
}
