import type { BackgroundFill } from "../../tools/background/backgrounds";
import { changeBackground } from "../../tools/background/change-background";
import { addDropShadow, type DropShadowOptions } from "../../tools/background/drop-shadow";
import type { OpaqueFormat } from "../../tools/background/encode";
import type { SubjectPosition } from "../../tools/background/layout";
import type { BackgroundQuality } from "../../tools/background/model";
import { makeProductPhoto, type ProductPhotoOptions } from "../../tools/background/product-photo";
import { removeBackground, type RemoveBackgroundOptions } from "../../tools/background/remove-background";
import type { Provider, ToolContext } from "../types";

// Not imported from ./index: that module imports this one, and the cycle breaks when this loads first.
function requireImage(input: Buffer | undefined): Buffer {
  if (!input) throw new Error("this tool needs an input image");
  return input;
}

/** change-background's inputs as the catalog (and the URL parser) hand them over: flat fields. */
export type ChangeBackgroundInputs = {
  quality?: BackgroundQuality;
  background?: "color" | "gradient" | "blur" | "image";
  color?: string;
  gradientFrom?: string;
  gradientTo?: string;
  gradientAngle?: number;
  blurSigma?: number;
  /** An asset id; the job checked at submission that it belongs to the account. */
  backgroundImage?: string;
  padding?: number;
  position?: SubjectPosition;
  format?: OpaqueFormat;
};

export const changeBackgroundDefaults = { color: "#ffffff", gradientFrom: "#ffffff", gradientTo: "#d9dde3" } as const;

/** Flat inputs -> the tool's fill; an uploaded image is read through the job's own asset loader. */
export async function backgroundFillOf(inputs: ChangeBackgroundInputs, context: Pick<ToolContext, "loadAsset">): Promise<BackgroundFill> {
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

// Options arrive validated by the generator's schema (or the URL parser), hence the casts.
export const backgroundCapabilities: Provider["capabilities"] = {
  "remove-background": (input, options, context) =>
    removeBackground(requireImage(input), { ...(options as RemoveBackgroundOptions), ...hooks(context) }),
  "change-background": async (input, options, context) => {
    const inputs = options as ChangeBackgroundInputs;
    return changeBackground(requireImage(input), {
      quality: inputs.quality,
      background: await backgroundFillOf(inputs, context),
      padding: inputs.padding,
      position: inputs.position,
      format: inputs.format,
      ...hooks(context),
    });
  },
  "drop-shadow": async (input, options) => addDropShadow(requireImage(input), options as DropShadowOptions),
  "product-photo": (input, options, context) =>
    makeProductPhoto(requireImage(input), { ...(options as ProductPhotoOptions), ...hooks(context) }),
};
