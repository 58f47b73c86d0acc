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
} as const satisfies Record<string, number>;
