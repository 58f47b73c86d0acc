/**
 * Every capability there is: a closed list, so a pipeline step, an adapter or an admin setting that
 * names one that does not exist fails to compile. Generative capabilities are served by AI vendors
 * (and some by local tools too); the local ones only by tools in this process.
 */
export const generativeCapabilities = [
  "text-to-image",
  "edit-by-prompt",
  "inpaint",
  "outpaint",
  "background-by-prompt",
  "remove-background",
  "upscale",
  "face-restore",
  "image-to-video",
  "style",
] as const;
export type GenerativeCapability = (typeof generativeCapabilities)[number];

export const localOnlyCapabilities = [
  "resize",
  "crop",
  "rotate",
  "flip",
  "convert",
  "blur",
  "sharpen",
  "border",
  "rounded-corners",
  "trim",
  "grayscale",
  "vignette",
  "retouch",
  "repair",
  "change-background",
  "drop-shadow",
  "product-photo",
  "smart-crop",
  "headshot",
  "calendar",
] as const;
export type LocalOnlyCapability = (typeof localOnlyCapabilities)[number];

export const capabilities = [...generativeCapabilities, ...localOnlyCapabilities] as const;
export type Capability = (typeof capabilities)[number];

export function isCapability(value: string): value is Capability {
  return (capabilities as readonly string[]).includes(value);
}
