import { imageTools } from "../image-ops";

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

/** The image-op library's tools (resize, crop, blur, ..., vignette, retouch): each is a capability by name. */
export type ImageToolCapability = (typeof imageTools)[number]["name"];

/** Local tools outside the image-op library: models and documents. */
export const localOnlyCapabilities = [
  "change-background",
  "drop-shadow",
  "product-photo",
  "smart-crop",
  "headshot",
  "calendar",
] as const;
export type LocalOnlyCapability = (typeof localOnlyCapabilities)[number];

export type Capability = GenerativeCapability | ImageToolCapability | LocalOnlyCapability;

export const capabilities: readonly Capability[] = [
  ...generativeCapabilities,
  ...imageTools.map((tool) => tool.name),
  ...localOnlyCapabilities,
];

export function isCapability(value: string): value is Capability {
  return (capabilities as readonly string[]).includes(value);
}
