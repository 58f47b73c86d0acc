import { z } from "zod";
import { aspectRatios } from "@/engine/providers/capability-options";
import type { GeneratorDefinition } from "@/catalog/generator-definition";
import {
  expandFractions,
  expandSides,
  headshotLooks,
  restorePrompt,
  stylePresets,
  type HeadshotLook,
  type StylePreset,
} from "./prompts";

const assetId = z.uuid({ message: "must be an asset id" });
const prompt = z.string().trim().min(3, { message: "must be at least 3 characters" }).max(2000);
const optionalPrompt = z.string().trim().max(2000).optional();
const count = z.number().int().min(1).max(4).default(1);
// Vendors take seconds to a minute per image; a slow queue at the vendor is not our timeout.
const imageSeconds = 180;
const vendorsFirst = ["openai", "google", "replicate", "fal", "comfyui", "webhook"];

/** The catalog's text-to-image models; each runs at every provider that offers its family. */
export const textToImageModels = [
  "flux-schnell",
  "flux-dev",
  "gpt-image-1-mini",
  "gpt-image-1",
  "gemini-flash-image",
] as const;

/**
 * Credits per image by model family. Generative prices sit above what their providers cost (see each
 * adapter's price table) at the credit's value, so every run keeps a margin whichever provider serves it.
 */
export const modelPrices = {
  "flux-schnell": 1,
  "flux-dev": 3,
  "gpt-image-1-mini": 2,
  "gpt-image-1": 5,
  "gemini-flash-image": 4,
} as const satisfies Record<(typeof textToImageModels)[number], number>;

const expandInputs = z
  .strictObject({
    image: assetId,
    prompt: optionalPrompt,
    sides: z.enum(expandSides).default("all"),
    /** Per chosen side, in percent of the image's size. */
    amount: z.number().int().min(5).max(100).default(25),
    /** A target canvas instead (the image is kept and the canvas grown to this aspect, then sized to it). */
    width: z.number().int().min(64).max(4096).optional(),
    height: z.number().int().min(64).max(4096).optional(),
  })
  .refine((i) => (i.width === undefined) === (i.height === undefined), {
    message: "give both width and height, or neither",
    path: ["height"],
  });

const styleInputs = z
  .strictObject({
    image: assetId,
    style: z.enum([...(Object.keys(stylePresets) as StylePreset[]), "custom"]).default("watercolor"),
    prompt: optionalPrompt,
    strength: z.number().min(0.1).max(1).default(0.7),
  })
  .refine((i) => i.style !== "custom" || (i.prompt?.length ?? 0) >= 3, {
    message: "describe the style for a custom style",
    path: ["prompt"],
  });

/**
 * Generators whose work is done by AI providers. The prompts that make each of them what it is
 * live here and in ./prompts.ts, not in the adapters: adapters only translate options for a vendor.
 */
export const generativeGenerators: GeneratorDefinition[] = [
  {
    id: "text-to-image",
    category: "generators",
    price: modelPrices["flux-schnell"],
    pricing: {
      base: modelPrices["flux-schnell"],
      byInput: { field: "model", prices: modelPrices },
      timesInput: "count",
    },
    inputSchema: z.strictObject({
      prompt,
      negativePrompt: z.string().trim().max(1000).optional(),
      // Without a model the first one this server can run is chosen (and priced) at submission.
      model: z.enum(textToImageModels).optional(),
      aspectRatio: z.enum(aspectRatios).default("1:1"),
      count,
      seed: z.number().int().min(0).max(2_147_483_647).optional(),
    }),
    assetInputs: [],
    promptInputs: ["prompt", "negativePrompt"],
    steps: [
      {
        capability: "text-to-image",
        modelInput: "model",
        options: ({ prompt, negativePrompt, aspectRatio, count, seed }) => ({
          prompt,
          negativePrompt,
          aspectRatio,
          count,
          seed,
        }),
        timeoutSeconds: imageSeconds,
      },
    ],
  },
  {
    id: "edit",
    category: "magic-studio",
    price: 5,
    inputSchema: z.strictObject({ image: assetId, prompt }),
    imageInput: "image",
    assetInputs: ["image"],
    promptInputs: ["prompt"],
    steps: [
      {
        capability: "edit-by-prompt",
        prefer: vendorsFirst,
        options: ({ prompt }) => ({
          prompt: `${prompt}\nChange only what this instruction asks for; keep everything else in the photo exactly as it is.`,
        }),
        timeoutSeconds: imageSeconds,
      },
    ],
  },
  {
    id: "expand",
    category: "magic-studio",
    price: 5,
    inputSchema: expandInputs,
    imageInput: "image",
    assetInputs: ["image"],
    promptInputs: ["prompt"],
    steps: ({ width, height }) => [
      {
        capability: "outpaint",
        prefer: vendorsFirst,
        options: (inputs, image) => ({
          prompt:
            inputs.prompt ||
            "Extend the scene beyond its borders seamlessly: same light, perspective, style and detail.",
          expand: expandFractions(inputs, image),
        }),
        timeoutSeconds: imageSeconds,
      },
      // A target canvas is met exactly: the grown image has its aspect, so this only scales.
      ...(width && height
        ? [{ capability: "resize" as const, prefer: ["local"], options: () => ({ width, height, fit: "fill" }) }]
        : []),
    ],
  },
  {
    id: "erase",
    category: "magic-studio",
    price: 4,
    inputSchema: z.strictObject({ image: assetId, mask: assetId }),
    imageInput: "image",
    assetInputs: ["image", "mask"],
    steps: [
      {
        capability: "inpaint",
        prefer: ["replicate", "fal", "openai", "comfyui", "webhook"],
        options: ({ mask }) => ({
          prompt:
            "Remove the object in the masked area completely and fill it with the background around it, with no trace left.",
          maskAssetId: mask,
        }),
        timeoutSeconds: imageSeconds,
      },
    ],
  },
  {
    id: "style",
    category: "magic-studio",
    price: 5,
    inputSchema: styleInputs,
    imageInput: "image",
    assetInputs: ["image"],
    promptInputs: ["prompt"],
    steps: [
      {
        capability: "style",
        prefer: vendorsFirst,
        options: ({ style, prompt, strength }) => ({
          prompt:
            style === "custom"
              ? `Restyle this image: ${prompt}. Keep the composition and the subject recognisable.`
              : `${stylePresets[style as StylePreset]}${prompt ? ` ${prompt}` : ""}`,
          strength,
        }),
        timeoutSeconds: imageSeconds,
      },
    ],
  },
  {
    id: "restore",
    category: "magic-studio",
    price: 3,
    inputSchema: z.strictObject({ image: assetId, fidelity: z.number().min(0).max(1).default(0.7) }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [
      {
        capability: "face-restore",
        prefer: ["replicate", "fal", "comfyui", "webhook"],
        options: ({ fidelity }) => ({ fidelity, prompt: restorePrompt }),
        timeoutSeconds: imageSeconds,
      },
    ],
  },
  {
    id: "ai-upscale",
    category: "magic-studio",
    price: 3,
    inputSchema: z.strictObject({ image: assetId, scale: z.union([z.literal(2), z.literal(4)]).default(2) }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [
      {
        capability: "upscale",
        // Vendors first (fast GPUs); the local ESRGAN runs when none is set up (small images only).
        prefer: ["replicate", "fal", "comfyui", "webhook", "local"],
        options: ({ scale }) => ({ scale, method: "ai" }),
        timeoutSeconds: 300,
      },
    ],
  },
  {
    id: "ai-headshot",
    category: "generators",
    price: 6,
    pricing: { base: 6, timesInput: "count" },
    inputSchema: z.strictObject({
      image: assetId,
      look: z.enum(Object.keys(headshotLooks) as [HeadshotLook]).default("corporate"),
      count,
    }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [
      {
        capability: "edit-by-prompt",
        prefer: ["openai", "google", "replicate", "fal", "comfyui", "webhook"],
        options: ({ look, count }) => ({ prompt: headshotLooks[look as HeadshotLook], count }),
        timeoutSeconds: imageSeconds,
      },
    ],
  },
  {
    id: "ad-video",
    category: "generators",
    price: 10,
    pricing: { base: 10, byInput: { field: "durationSeconds", prices: { "5": 10, "10": 20 } } },
    inputSchema: z.strictObject({
      image: assetId,
      prompt,
      durationSeconds: z.union([z.literal(5), z.literal(10)]).default(5),
      aspectRatio: z.enum(["16:9", "9:16", "1:1"]).default("9:16"),
    }),
    imageInput: "image",
    assetInputs: ["image"],
    promptInputs: ["prompt"],
    // Video models take minutes; the page may be closed, the job goes on and its result stays.
    jobTimeoutSeconds: 30 * 60,
    steps: [
      {
        capability: "image-to-video",
        prefer: ["replicate", "fal", "webhook"],
        options: ({ prompt, durationSeconds, aspectRatio }) => ({
          prompt: `A short, polished advertising clip: ${prompt}. Smooth camera motion, the product stays in focus and unchanged.`,
          durationSeconds,
          aspectRatio,
        }),
        timeoutSeconds: 20 * 60,
      },
    ],
  },
  {
    id: "variations",
    category: "generators",
    price: 4,
    pricing: { base: 4, timesInput: "count" },
    inputSchema: z.strictObject({ image: assetId, count: z.number().int().min(1).max(4).default(2) }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [
      {
        capability: "edit-by-prompt",
        prefer: vendorsFirst,
        options: ({ count }) => ({
          prompt:
            "Create a new variation of this image: the same subject, style and mood, with a different arrangement, pose or details.",
          count,
        }),
        timeoutSeconds: imageSeconds,
      },
    ],
  },
];
