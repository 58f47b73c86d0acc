import { z } from "zod";
import { outputFormats, resizeFits } from "@/engine/tools/resize";
import type { GeneratorDefinition } from "@/features/generators/types";
import { generatorPrices } from "../pricing";

const assetId = z.uuid({ message: "must be an asset id" });
const side = z.number().int().min(1).max(8000);

/** Basic edits: size, format and simple adjustments. */
export const basicGenerators: GeneratorDefinition[] = [
  {
    id: "resize",
    category: "basics",
    price: generatorPrices.resize,
    mode: "sync",
    // Without width and height it only converts format or quality.
    inputSchema: z.strictObject({
      image: assetId,
      width: side.optional(),
      height: side.optional(),
      fit: z.enum(resizeFits).optional(),
      format: z.enum(outputFormats).optional(),
      quality: z.number().int().min(1).max(100).optional(),
    }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [{ capability: "resize", providers: ["local"], options: (inputs) => inputs }],
  },
];
