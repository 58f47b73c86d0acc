import { z } from "zod";
import { dropShadowDefaults } from "@/engine/tools/background/drop-shadow";
import { alphaFormats, hexColorPattern, opaqueFormats } from "@/engine/tools/background/encode";
import { subjectPositions } from "@/engine/tools/background/layout";
import { backgroundQualities } from "@/engine/tools/background/model";
import {
  productBackgrounds,
  productPhotoFormats,
  productPhotoPresetNames,
} from "@/engine/tools/background/product-photo";
import { removeBackgroundOutputs } from "@/engine/tools/background/remove-background";
import type { GeneratorDefinition } from "@/catalog/generator-definition";

const assetId = z.uuid({ message: "must be an asset id" });
const hex = z.string().regex(hexColorPattern, { message: "must be a hex colour such as #ff8800" });
const quality = z.enum(backgroundQualities).default("standard");
// The model runs at 1024² whatever the input: seconds on a small CPU. The limit covers a slow
// machine with a busy queue, a 12 MP PNG to encode and the first run's model load.
const modelSeconds = 180;
/** change-background with a prompt: an AI provider paints the background. */
export const promptedBackgroundPrice = 5;

const changeBackgroundInputs = z
  .strictObject({
    image: assetId,
    quality,
    // Without it: an uploaded image when `backgroundImage` is given, otherwise a colour.
    background: z.enum(["color", "gradient", "blur", "image"]).optional(),
    color: hex.optional(),
    gradientFrom: hex.optional(),
    gradientTo: hex.optional(),
    gradientAngle: z.number().min(0).max(360).optional(),
    blurSigma: z.number().min(0.3).max(200).optional(),
    backgroundImage: assetId.optional(),
    padding: z.number().min(0).max(45).optional(),
    position: z.enum(subjectPositions).optional(),
    format: z.enum(opaqueFormats).default("jpeg"),
    /** A new background described in words: an AI provider paints it instead of the settings above. */
    prompt: z.string().trim().min(3, { message: "must be at least 3 characters" }).max(500).optional(),
  })
  .superRefine((inputs, ctx) => {
    const painted = [
      "background",
      "color",
      "gradientFrom",
      "gradientTo",
      "gradientAngle",
      "blurSigma",
      "backgroundImage",
    ] as const;
    for (const field of painted) {
      if (inputs.prompt && inputs[field] !== undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: "cannot be combined with a background prompt" });
      }
    }
    if (inputs.background === "image" && !inputs.backgroundImage) {
      ctx.addIssue({ code: "custom", path: ["backgroundImage"], message: "is needed for an image background" });
    }
    if (inputs.backgroundImage && inputs.background && inputs.background !== "image") {
      ctx.addIssue({ code: "custom", path: ["backgroundImage"], message: "is only used with background: image" });
    }
  });

/** Background removal and what builds on it; all run the ISNet model in this process. */
export const backgroundGenerators: GeneratorDefinition[] = [
  {
    id: "remove-background",
    category: "magic-studio",
    price: 2,
    inputSchema: z.strictObject({
      image: assetId,
      quality,
      output: z.enum(removeBackgroundOutputs).default("cutout"),
      format: z.enum(alphaFormats).default("png"),
    }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [
      {
        capability: "remove-background",
        prefer: ["local"],
        options: ({ quality, output, format }) => ({ quality, output, format }),
        timeoutSeconds: modelSeconds,
      },
    ],
  },
  {
    id: "change-background",
    category: "magic-studio",
    price: 3,
    pricing: {
      base: 3,
      whenSet: { field: "prompt", price: promptedBackgroundPrice },
    },
    inputSchema: changeBackgroundInputs,
    imageInput: "image",
    assetInputs: ["image", "backgroundImage"],
    promptInputs: ["prompt"],
    steps: ({ prompt }) =>
      prompt
        ? [
            {
              capability: "background-by-prompt",
              options: ({ prompt }) => ({
                prompt: `Replace only the background with: ${prompt}. Keep the subject, its edges, colours and lighting exactly as they are; match the new background's light to the subject.`,
              }),
              timeoutSeconds: 180,
            },
          ]
        : [
            {
              capability: "change-background",
              prefer: ["local"],
              options: ({ image: _image, prompt: _prompt, ...rest }) => rest,
              timeoutSeconds: modelSeconds,
            },
          ],
  },
  {
    id: "drop-shadow",
    category: "magic-studio",
    price: 1,
    // ImageKit's e-dropshadow: az, el, st.
    inputSchema: z.strictObject({
      image: assetId,
      azimuth: z.number().min(0).max(360).default(dropShadowDefaults.azimuth),
      elevation: z.number().min(0).max(90).default(dropShadowDefaults.elevation),
      strength: z.number().min(0).max(100).default(dropShadowDefaults.strength),
      format: z.enum(alphaFormats).default("png"),
    }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [
      {
        capability: "drop-shadow",
        prefer: ["local"],
        options: ({ azimuth, elevation, strength, format }) => ({ azimuth, elevation, strength, format }),
        timeoutSeconds: 60,
      },
    ],
  },
  {
    id: "product-photo",
    category: "generators",
    price: 4,
    inputSchema: z.strictObject({
      image: assetId,
      preset: z.enum(productPhotoPresetNames).default("marketplace"),
      // Without it, the preset's: white, or the studio's soft grey.
      background: z.enum(productBackgrounds).optional(),
      quality,
      format: z.enum(productPhotoFormats).default("jpeg"),
    }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [
      {
        capability: "product-photo",
        prefer: ["local"],
        options: ({ preset, background, quality, format }) => ({ preset, background, quality, format }),
        timeoutSeconds: modelSeconds,
      },
    ],
  },
];
