import { z } from "zod";
import type { BackgroundFill } from "../../tools/background/backgrounds";
import { changeBackground } from "../../tools/background/change-background";
import { addDropShadow } from "../../tools/background/drop-shadow";
import { alphaFormats, opaqueFormats } from "../../tools/background/encode";
import { subjectPositions } from "../../tools/background/layout";
import { backgroundQualities } from "../../tools/background/model";
import {
  makeProductPhoto,
  productBackgrounds,
  productPhotoFormats,
  productPhotoPresetNames,
} from "../../tools/background/product-photo";
import { removeBackground, removeBackgroundOutputs } from "../../tools/background/remove-background";
import type { ToolContext } from "../types";
import { defineLocalTool, requireImage } from "./define-local-tool";

const quality = z.enum(backgroundQualities).optional();

/** change-background's options as the catalog (and the URL parser) hand them over: flat fields. */
const changeBackgroundOptions = z.object({
  quality,
  background: z.enum(["color", "gradient", "blur", "image"]).optional(),
  color: z.string().optional(),
  gradientFrom: z.string().optional(),
  gradientTo: z.string().optional(),
  gradientAngle: z.number().optional(),
  blurSigma: z.number().optional(),
  /** An asset id; the job checked at submission that it belongs to the account. */
  backgroundImage: z.string().optional(),
  padding: z.number().optional(),
  position: z.enum(subjectPositions).optional(),
  format: z.enum(opaqueFormats).optional(),
});
export type ChangeBackgroundInputs = z.output<typeof changeBackgroundOptions>;

export const changeBackgroundDefaults = { color: "#ffffff", gradientFrom: "#ffffff", gradientTo: "#d9dde3" } as const;

/** Flat inputs -> the tool's fill; an uploaded image is read through the job's own asset loader. */
export async function backgroundFillOf(
  inputs: ChangeBackgroundInputs,
  context: Pick<ToolContext, "loadAsset">,
): Promise<BackgroundFill> {
  const kind = inputs.background ?? (inputs.backgroundImage ? "image" : "color");
  switch (kind) {
    case "color":
      return { kind, color: inputs.color ?? changeBackgroundDefaults.color };
    case "gradient":
      return {
        kind,
        from: inputs.gradientFrom ?? changeBackgroundDefaults.gradientFrom,
        to: inputs.gradientTo ?? changeBackgroundDefaults.gradientTo,
        angle: inputs.gradientAngle,
      };
    case "blur":
      return { kind, sigma: inputs.blurSigma };
    case "image":
      if (!inputs.backgroundImage) throw new Error("background image: no asset given");
      return { kind, image: await context.loadAsset(inputs.backgroundImage) };
  }
}

const hooks = (context: ToolContext) => ({ signal: context.signal, onProgress: context.reportProgress });

/** Background removal and what builds on it (the ISNet model in this process). */
export const backgroundTools = [
  defineLocalTool({
    capability: "remove-background",
    options: z.object({
      quality,
      output: z.enum(removeBackgroundOutputs).optional(),
      format: z.enum(alphaFormats).optional(),
    }),
    run: (input, options, context) => removeBackground(requireImage(input), { ...options, ...hooks(context) }),
  }),
  defineLocalTool({
    capability: "change-background",
    options: changeBackgroundOptions,
    run: async (input, options, context) =>
      changeBackground(requireImage(input), {
        quality: options.quality,
        background: await backgroundFillOf(options, context),
        padding: options.padding,
        position: options.position,
        format: options.format,
        ...hooks(context),
      }),
  }),
  defineLocalTool({
    capability: "drop-shadow",
    options: z.object({
      azimuth: z.number().min(0).max(360).optional(),
      elevation: z.number().min(0).max(90).optional(),
      strength: z.number().min(0).max(100).optional(),
      format: z.enum(alphaFormats).optional(),
    }),
    run: async (input, options) => addDropShadow(requireImage(input), options),
  }),
  defineLocalTool({
    capability: "product-photo",
    options: z.object({
      preset: z.enum(productPhotoPresetNames).optional(),
      background: z.enum(productBackgrounds).optional(),
      quality,
      format: z.enum(productPhotoFormats).optional(),
    }),
    run: (input, options, context) => makeProductPhoto(requireImage(input), { ...options, ...hooks(context) }),
  }),
];
