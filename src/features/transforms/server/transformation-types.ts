/** The parsed form of an ImageKit-style transformation (`tr:w-400,h-300:f-webp`). */

import "server-only";
export const cropStrategies = ["maintain_ratio", "force", "at_max", "at_max_enlarge", "at_least"] as const;
export type CropStrategy = (typeof cropStrategies)[number];

export const cropModes = ["extract", "pad_extract", "pad_resize"] as const;
export type CropMode = (typeof cropModes)[number];

export const focusPositions = [
  "center",
  "top",
  "left",
  "bottom",
  "right",
  "top_left",
  "top_right",
  "bottom_left",
  "bottom_right",
] as const;
export type FocusPosition = (typeof focusPositions)[number];
export type Focus = FocusPosition | "auto" | "face";

/** Encoded output formats; `jpg` is ImageKit's spelling of JPEG. */
export const imageFormats = ["jpg", "png", "webp", "avif"] as const;
export type ImageFormat = (typeof imageFormats)[number];
export type FormatParam = ImageFormat | "auto" | "orig";

export type Rgba = { r: number; g: number; b: number; alpha: number };

/** One step of non-AI operations, applied by sharp in a fixed order (see execute-transformation). */
export type BasicStep = {
  kind: "basic";
  /** Pixels, or a fraction of the step's input size when below 1. */
  w?: number;
  h?: number;
  ar?: { w: number; h: number };
  c?: CropStrategy;
  cm?: CropMode;
  fo?: Focus;
  x?: number;
  y?: number;
  dpr?: number;
  /** Degrees clockwise, 0..359, or the EXIF orientation. */
  rt?: number | "auto";
  fl?: "h" | "v" | "h_v";
  /** trim: the threshold (1..99); `t-true` is the default threshold. */
  t?: number;
  bl?: number;
  sharpen?: number;
  grayscale?: boolean;
  bg?: Rgba;
  border?: { width: number; color: Rgba };
  radius?: number | "max";
  f?: FormatParam;
  q?: number;
};

export const aiOperations = ["bgremove", "dropshadow", "upscale", "retouch", "changebg", "edit", "genfill"] as const;
export type AiOperation = (typeof aiOperations)[number];

/** A step that runs as a paid job (a generator); it stands alone in its step. */
export type AiStep = {
  kind: "ai";
  op: AiOperation;
  /** The step as written canonically, e.g. `e-dropshadow-az-215_el-45_st-60`; names it in errors. */
  token: string;
  args: Record<string, string | number>;
};

export type TransformationStep = BasicStep | AiStep;

export type Transformation = {
  steps: TransformationStep[];
  /** Parameters sorted within each step, values normalised: the cache and signature key. */
  canonical: string;
  /** The last `f` and `q` anywhere in the chain: they describe the final encoding. */
  format?: FormatParam;
  quality?: number;
};
