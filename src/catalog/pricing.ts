/**
 * Prices and grants, in whole credits. Data, not code paths: billing (later) reads plans and packs
 * from here too. Local tools are priced by the CPU time they take, generative ones (later) by
 * what their providers cost.
 */
export const starterCredits = 50;

export const generatorPrices = {
  // basics
  resize: 1,
  crop: 1,
  rotate: 1,
  flip: 1,
  convert: 1,
  blur: 1,
  sharpen: 1,
  border: 1,
  "rounded-corners": 1,
  trim: 1,
  grayscale: 1,
  // magic studio
  "remove-background": 2,
  "change-background": 3,
  "drop-shadow": 1,
  "smart-crop": 1,
  upscale: 2,
  retouch: 2,
  repair: 2,
  // specialised generators
  "product-photo": 4,
  headshot: 4,
  calendar: 5,
  // generative: priced above what their providers cost (see each adapter's price table) at the
  // credit's value, so every run keeps a margin whichever provider serves it
  edit: 5,
  expand: 5,
  erase: 4,
  style: 5,
  restore: 3,
  "ai-upscale": 3,
  "ai-headshot": 6,
  "ad-video": 10,
  variations: 4,
  "change-background-prompt": 5,
} as const satisfies Record<string, number>;

/** text-to-image, per image, by model family. */
export const modelPrices = {
  "flux-schnell": 1,
  "flux-dev": 3,
  "gpt-image-1-mini": 2,
  "gpt-image-1": 5,
  "gemini-flash-image": 4,
} as const satisfies Record<string, number>;

/**
 * What one credit is worth, in millionths of a US dollar (50_000 = $0.05): the revenue side of the
 * admin's margin view. Billing's credit packs will set it from their prices.
 */
export const creditValueMicros = 50_000;
