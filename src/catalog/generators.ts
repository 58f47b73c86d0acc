import { z } from "zod";
import { outputFormats, resizeFits } from "@/engine/tools/resize";
import type { GeneratorDefinition } from "@/features/generators/types";
import { generatorPrices } from "./pricing";

const assetId = z.uuid({ message: "must be an asset id" });
const side = z.number().int().min(1).max(8000);

/** The one list of generators. Adding a generator = adding an entry here (and its messages). */
export const generators: GeneratorDefinition[] = [
  {
    id: "resize",
    category: "basics",
    price: generatorPrices.resize,
    mode: "sync",
    inputSchema: z
      .strictObject({
        image: assetId,
        width: side.optional(),
        height: side.optional(),
        fit: z.enum(resizeFits).optional(),
        format: z.enum(outputFormats).optional(),
        quality: z.number().int().min(1).max(100).optional(),
      })
      .refine((v) => v.width !== undefined || v.height !== undefined, {
        message: "width or height is required",
        path: ["width"],
      }) as unknown as z.ZodObject,
    imageInput: "image",
    steps: [{ capability: "resize", providers: ["local"], options: (inputs) => inputs }],
  },
];
