import type { ToolOutput } from "../types";
import { cutOutSubject, cutoutWithAlpha, subjectBox, type Cutout, type ToolHooks } from "./cutout";
import { encodeImage } from "../../image-ops/encode";
import { fromRaw, type AlphaFormat } from "./encode";
import type { BackgroundQuality } from "./model";

export const removeBackgroundOutputs = ["cutout", "mask"] as const;

export type RemoveBackgroundOptions = {
  quality?: BackgroundQuality;
  /** The subject with a transparent background, or the mask alone (white = subject). */
  output?: (typeof removeBackgroundOutputs)[number];
  format?: AlphaFormat;
} & ToolHooks;

/** Pure: image bytes -> the subject on transparency (or its mask), same size as the upright input. */
export async function removeBackground(input: Buffer, options: RemoveBackgroundOptions = {}): Promise<ToolOutput> {
  const quality = options.quality ?? "standard";
  const cutout = await cutOutSubject(input, { ...options, quality });
  return encodeCutout(cutout, { ...options, quality });
}

/** The encoding half of removeBackground, for callers that already hold a cut-out. */
export async function encodeCutout(
  cutout: Cutout,
  options: Omit<RemoveBackgroundOptions, keyof ToolHooks>,
): Promise<ToolOutput> {
  const meta = { quality: options.quality ?? "standard", subjectFound: (await subjectBox(cutout.mask)) !== undefined };
  const format = options.format ?? "png";
  // A mask is greyscale: one channel in PNG (WebP has no grey mode and stores it as RGB).
  const image = options.output === "mask" ? fromRaw(cutout.mask).toColourspace("b-w") : cutoutWithAlpha(cutout);
  return encodeImage(image, format, { quality: 90, meta });
}
