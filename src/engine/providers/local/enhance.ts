import { cropImage, flipImage, rotateImage, type CropOptions, type FlipOptions, type RotateOptions } from "../../tools/adjust/geometry";
import {
  blurImage,
  convertImage,
  grayscaleImage,
  sharpenImage,
  type BlurOptions,
  type ConvertOptions,
  type SharpenOptions,
} from "../../tools/adjust/filters";
import { repairImage, type RepairOptions } from "../../tools/adjust/repair";
import { retouchImage, type RetouchOptions } from "../../tools/adjust/retouch";
import {
  addBorder,
  roundCorners,
  trimImage,
  type BorderOptions,
  type RoundCornersOptions,
  type TrimOptions,
} from "../../tools/adjust/shape";
import type { Provider } from "../types";

// Not imported from ./index: that module imports this one, and the cycle breaks when this loads first.
function requireImage(input: Buffer | undefined): Buffer {
  if (!input) throw new Error("this tool needs an input image");
  return input;
}

// Options arrive validated by the generator's schema (or the URL parser), hence the casts.
export const enhanceCapabilities: Provider["capabilities"] = {
  crop: async (input, options) => cropImage(requireImage(input), options as CropOptions),
  rotate: async (input, options) => rotateImage(requireImage(input), options as RotateOptions),
  flip: async (input, options) => flipImage(requireImage(input), options as FlipOptions),
  convert: async (input, options) => convertImage(requireImage(input), options as ConvertOptions),
  blur: async (input, options) => blurImage(requireImage(input), options as BlurOptions),
  sharpen: async (input, options) => sharpenImage(requireImage(input), options as SharpenOptions),
  border: async (input, options) => addBorder(requireImage(input), options as BorderOptions),
  "rounded-corners": async (input, options) => roundCorners(requireImage(input), options as RoundCornersOptions),
  trim: async (input, options) => trimImage(requireImage(input), options as TrimOptions),
  grayscale: async (input) => grayscaleImage(requireImage(input)),
  retouch: async (input, options) => retouchImage(requireImage(input), options as RetouchOptions),
  repair: async (input, options) => repairImage(requireImage(input), options as RepairOptions),
};
