import { z } from "zod";
import { repairImage } from "../tools/adjust/repair";
import { retouchImage } from "../tools/adjust/retouch";
import { convertImage, convertOptions } from "../tools/adjust/filters";
import { roundCorners, roundCornersOptions, trimImage } from "../tools/adjust/shape";
import { resizeImage, resizeOptions } from "../tools/resize";
import type { ToolOutput } from "../tools/types";
import { blurOp, grayscaleOp, sharpenOp } from "./filters";
import { cropOp, flipOp, rotateOp, trimOp } from "./geometry";
import { runImageOp } from "./run-op";
import { borderOp } from "./shape";
import type { ImageOp } from "./types";
import { vignetteOp } from "./vignette";

/**
 * A local tool as a capability: its name, its options as a Zod schema (with defaults) and its run
 * function on encoded bytes, typed from the schema. Options reach `run` parsed by that schema.
 */
export type ImageTool<Schema extends z.ZodType = z.ZodType, Name extends string = string> = {
  name: Name;
  options: Schema;
  run(input: Buffer, options: z.output<Schema>): Promise<ToolOutput>;
};

function defineTool<Schema extends z.ZodType, const Name extends string>(
  tool: ImageTool<Schema, Name>,
): ImageTool<Schema, Name> {
  return tool;
}

/** An operation as a tool: decode, apply, encode in the input's format. */
function toolOf<Schema extends z.ZodType, Name extends string>(op: ImageOp<Schema, Name>): ImageTool<Schema, Name> {
  return { name: op.name, options: op.options, run: (input, options) => runImageOp(input, op, options) };
}

const strength = z.number().int().min(0).max(100).default(50);

/** Every sharp-based local tool; the local provider serves each under its name. */
export const imageTools = [
  defineTool({ name: "resize", options: resizeOptions, run: resizeImage }),
  toolOf(cropOp),
  toolOf(rotateOp),
  toolOf(flipOp),
  defineTool({ name: "convert", options: convertOptions, run: convertImage }),
  toolOf(blurOp),
  toolOf(sharpenOp),
  toolOf(borderOp),
  defineTool({ name: "rounded-corners", options: roundCornersOptions, run: roundCorners }),
  defineTool({ name: "trim", options: trimOp.options, run: trimImage }),
  toolOf(grayscaleOp),
  toolOf(vignetteOp),
  defineTool({ name: "retouch", options: z.object({ strength }), run: retouchImage }),
  defineTool({
    name: "repair",
    options: z.object({
      strength,
      scratches: z.boolean().default(true),
      scratchWidth: z.number().int().min(1).max(6).default(2),
    }),
    run: repairImage,
  }),
] satisfies ImageTool[];

/** Validates the options (applying defaults) and runs the tool: no cast between the two. */
export function runImageTool<Schema extends z.ZodType>(
  tool: ImageTool<Schema>,
  input: Buffer,
  options: unknown,
): Promise<ToolOutput> {
  return tool.run(input, tool.options.parse(options));
}
