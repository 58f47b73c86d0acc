import { makeHeadshot, type HeadshotOptions } from "../../tools/crop/headshot";
import { smartCrop, type SmartCropOptions } from "../../tools/crop/smart-crop";
import { upscaleImage, type UpscaleOptions } from "../../tools/upscale/upscale";
import type { Provider } from "../types";

// Not index.ts's requireImage: importing it back from there would be an import cycle.
function imageOf(input: Buffer | undefined): Buffer {
  if (!input) throw new Error("this tool needs an input image");
  return input;
}

/** Framing and resolution: smart crop (subject or face), upscale (classic or AI), headshot. */
export const cropCapabilities: Provider["capabilities"] = {
  "smart-crop": (input, options) => smartCrop(imageOf(input), options as SmartCropOptions),
  upscale: (input, options, context) =>
    upscaleImage(imageOf(input), options as UpscaleOptions, { signal: context.signal, onProgress: context.reportProgress }),
  headshot: (input, options, context) =>
    makeHeadshot(imageOf(input), options as HeadshotOptions, { signal: context.signal, onProgress: context.reportProgress }),
};
