import { z } from "zod";
import { hexColorPattern } from "@/engine/tools/background/encode";
import { headshotBackgrounds, headshotSizeNames } from "@/engine/tools/crop/headshot";
import { isSaneAspect, parseAspect } from "@/engine/tools/crop/geometry";
import { cropFocuses } from "@/engine/tools/crop/smart-crop";
import { maxOutputSide, upscaleMethods, upscaleScales } from "@/engine/tools/upscale/upscale";
import type { GeneratorDefinition } from "@/catalog/generator-definition";

const assetId = z.uuid({ message: "must be an asset id" });
const side = z.number().int().min(1).max(maxOutputSide);
const aspect = z
  .string()
  .refine(isSaneAspect, { message: "must be W:H with whole numbers, such as 1:1, 4:5 or 16:9 (at most 20:1)" });

const smartCropInputs = z
  .strictObject({
    image: assetId,
    focus: z.enum(cropFocuses).default("subject"),
    aspect: aspect.optional(),
    width: side.optional(),
    height: side.optional(),
  })
  // Width and height together fix the aspect: a different `aspect` beside them is a contradiction.
  // Zod runs this even when a field failed, so it must not trust `aspect` (parseAspect throws).
  .refine(
    (inputs) =>
      !(
        inputs.aspect &&
        isSaneAspect(inputs.aspect) &&
        inputs.width &&
        inputs.height &&
        !sameAspect(inputs.aspect, inputs.width, inputs.height)
      ),
    {
      message: "contradicts width and height: give either the aspect or both sides",
      path: ["aspect"],
    },
  );

/** Framing and resolution: crop to what matters, make it bigger, make a headshot of it. */
export const cropGenerators: GeneratorDefinition[] = [
  {
    id: "smart-crop",
    category: "magic-studio",
    price: 1,
    inputSchema: smartCropInputs,
    imageInput: "image",
    assetInputs: ["image"],
    steps: [
      {
        capability: "smart-crop",
        prefer: ["local"],
        options: ({ focus, aspect, width, height }) => ({ focus, aspect, width, height }),
        timeoutSeconds: 60,
      },
    ],
  },
  {
    id: "upscale",
    category: "magic-studio",
    price: 2,
    inputSchema: z.strictObject({
      image: assetId,
      scale: z.literal(upscaleScales).default(2),
      method: z.enum(upscaleMethods).default("classic"),
    }),
    imageInput: "image",
    assetInputs: ["image"],
    // The AI path takes up to ~1 MP at ~30-45 s per megapixel on one core; classic takes seconds.
    steps: [
      {
        capability: "upscale",
        prefer: ["local"],
        options: ({ scale, method }) => ({ scale, method }),
        timeoutSeconds: 300,
      },
    ],
  },
  {
    id: "headshot",
    category: "generators",
    price: 4,
    inputSchema: z.strictObject({
      image: assetId,
      size: z.enum(headshotSizeNames).default("profile"),
      // "color" removes the background (ISNet, ~10-20 s on two cores) and uses `color`.
      background: z.enum(headshotBackgrounds).default("blur"),
      color: z.string().regex(hexColorPattern, { message: "must be a hex colour such as #0a66c2" }).optional(),
    }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [
      {
        capability: "headshot",
        prefer: ["local"],
        options: ({ size, background, color }) => ({ size, background, color }),
        timeoutSeconds: 120,
      },
    ],
  },
];

function sameAspect(value: string, width: number, height: number): boolean {
  const wanted = parseAspect(value);
  return wanted.width * height === wanted.height * width;
}
