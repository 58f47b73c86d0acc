/**
 * What each generative capability receives as `options` from a catalog step. The catalog builds
 * these (final prompts included), adapters translate them into their vendor's request. Masks are
 * asset ids of PNGs the size of the image: white marks what to change, black what to keep.
 */
export const aspectRatios = ["1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3"] as const;
export type AspectRatio = (typeof aspectRatios)[number];

export type TextToImageOptions = {
  prompt: string;
  negativePrompt?: string;
  aspectRatio: AspectRatio;
  /** Images to make, 1..4. */
  count: number;
  seed?: number;
};

/** edit-by-prompt and style: the input image changed as the prompt says. */
export type EditOptions = {
  prompt: string;
  negativePrompt?: string;
  /** Further reference images (asset ids), e.g. a product to place. */
  referenceAssetIds?: string[];
  count?: number;
  /** 0..1: how far a style may move from the original, where the vendor supports it. */
  strength?: number;
};

/** inpaint: change only the masked part (magic erase: an empty prompt asks to remove it). */
export type InpaintOptions = { prompt: string; maskAssetId: string };

/**
 * outpaint: grow the canvas on each side by a fraction of the image's own size (0.25 on the left of
 * a 1000 px wide image adds 250 px) and fill the new area.
 */
export type OutpaintOptions = { prompt: string; expand: { top: number; right: number; bottom: number; left: number } };

export type BackgroundByPromptOptions = { prompt: string };
export type UpscaleOptions = { scale: 2 | 4 };
/** `prompt` is for providers that restore by instruction (GPT Image, Gemini, FLUX Kontext). */
export type FaceRestoreOptions = { fidelity: number; prompt: string };
export type ImageToVideoOptions = { prompt: string; durationSeconds: 5 | 10; aspectRatio: "16:9" | "9:16" | "1:1" };
