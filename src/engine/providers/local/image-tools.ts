import type { z } from "zod";
import { imageTools, type ImageTool } from "../../image-ops";
import type { ImageToolCapability } from "../capabilities";
import { defineLocalTool, requireImage, type LocalTool } from "./define-local-tool";

/** One image-op tool as a local capability of the same name, with the tool's own options schema. */
function localToolOf<Schema extends z.ZodType>(tool: ImageTool<Schema, ImageToolCapability>): LocalTool<Schema> {
  return defineLocalTool({
    capability: tool.name,
    options: tool.options,
    run: (input, options) => tool.run(requireImage(input), options),
  });
}

/** Every sharp-based tool of the image-op library (resize, crop, blur, ..., vignette, retouch, repair). */
export const imageOpTools: LocalTool[] = imageTools.map(localToolOf);
