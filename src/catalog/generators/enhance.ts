import { z } from "zod";
import type { GeneratorDefinition } from "@/catalog/generator-definition";

const assetId = z.uuid({ message: "must be an asset id" });
const strength = z.number().int().min(0).max(100).default(50);

/** Automatic improvements of a whole photo, run by the worker (a few seconds on large images). */
export const enhanceGenerators: GeneratorDefinition[] = [
  {
    id: "retouch",
    category: "magic-studio",
    price: 2,
    inputSchema: z.strictObject({ image: assetId, strength }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [{ capability: "retouch", prefer: ["local"], options: (inputs) => inputs, timeoutSeconds: 120 }],
  },
  {
    id: "repair",
    category: "magic-studio",
    price: 2,
    inputSchema: z.strictObject({
      image: assetId,
      strength,
      scratches: z.boolean().default(true),
      scratchWidth: z.number().int().min(1).max(6).default(2),
    }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [{ capability: "repair", prefer: ["local"], options: (inputs) => inputs, timeoutSeconds: 180 }],
  },
  {
    id: "vignette",
    category: "magic-studio",
    price: 1,
    inputSchema: z.strictObject({ image: assetId, strength }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [{ capability: "vignette", prefer: ["local"], options: (inputs) => inputs }],
  },
];
