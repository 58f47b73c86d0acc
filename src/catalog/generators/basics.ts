import { z } from "zod";
import { colourPattern } from "@/engine/tools/adjust/colour";
import { flipDirections } from "@/engine/tools/adjust/geometry";
import { outputFormats, resizeFits } from "@/engine/tools/resize";
import type { ImageToolCapability } from "@/engine/providers/capabilities";
import type { GeneratorDefinition } from "@/catalog/generator-definition";

const assetId = z.uuid({ message: "must be an asset id" });
const side = z.number().int().min(1).max(8000);
const colour = z
  .string()
  .regex(colourPattern, { message: "must be a colour such as #ff8800, #ff880080 or transparent" });
const quality = z.number().int().min(1).max(100);

/** A one-step edit of one image, quick enough to wait for, by the local tool of the same name. */
function basic(id: ImageToolCapability, shape: z.ZodRawShape, price = 1): GeneratorDefinition {
  return {
    id,
    category: "basics",
    price,
    inputSchema: z.strictObject({ image: assetId, ...shape }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [{ capability: id, prefer: ["local"], options: (inputs) => inputs }],
  };
}

/** Basic edits: size, format and simple adjustments. */
export const basicGenerators: GeneratorDefinition[] = [
  {
    id: "resize",
    category: "basics",
    price: 1,
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
    steps: [{ capability: "resize", prefer: ["local"], options: (inputs) => inputs }],
  },
  // Whether the rectangle fits the image is checked when the job runs (the schema cannot see it).
  basic("crop", {
    x: z.number().int().min(0).max(100_000),
    y: z.number().int().min(0).max(100_000),
    width: side,
    height: side,
  }),
  basic("rotate", { angle: z.number().min(-360).max(360), background: colour.optional() }),
  basic("flip", { direction: z.enum(flipDirections).default("horizontal") }),
  basic("convert", { format: z.enum(outputFormats), quality: quality.optional(), background: colour.optional() }),
  basic("blur", { sigma: z.number().min(0.3).max(100).default(2) }),
  basic("sharpen", { sigma: z.number().min(0.5).max(10).default(1), amount: z.number().min(0).max(10).default(2) }),
  basic("border", { width: z.number().int().min(1).max(1000), colour: colour.default("#000000") }),
  basic("rounded-corners", {
    radius: z.union([z.number().int().min(1).max(10_000), z.literal("max")]),
    format: z.enum(["png", "webp"]).optional(),
  }),
  basic("trim", { threshold: z.number().int().min(0).max(255).default(10) }),
  basic("grayscale", {}),
];
