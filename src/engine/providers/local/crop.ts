import { z } from "zod";
import { headshotBackgrounds, headshotSizeNames, makeHeadshot } from "../../tools/crop/headshot";
import { cropFocuses, smartCrop } from "../../tools/crop/smart-crop";
import { upscaleImage, upscaleMethods, upscaleScales } from "../../tools/upscale/upscale";
import { defineLocalTool, requireImage } from "./define-local-tool";

const side = z.number().int().min(1);

/** Framing and resolution: smart crop (subject or face), upscale (classic or AI), headshot. */
export const cropTools = [
  defineLocalTool({
    capability: "smart-crop",
    options: z.object({
      focus: z.enum(cropFocuses).optional(),
      aspect: z.string().optional(),
      width: side.optional(),
      height: side.optional(),
    }),
    run: (input, options) => smartCrop(requireImage(input), options),
  }),
  defineLocalTool({
    capability: "upscale",
    options: z.object({ scale: z.literal(upscaleScales), method: z.enum(upscaleMethods).optional() }),
    run: (input, options, context) =>
      upscaleImage(requireImage(input), options, { signal: context.signal, onProgress: context.reportProgress }),
  }),
  defineLocalTool({
    capability: "headshot",
    options: z.object({
      size: z.enum(headshotSizeNames).optional(),
      background: z.enum(headshotBackgrounds).optional(),
      color: z.string().optional(),
    }),
    run: (input, options, context) =>
      makeHeadshot(requireImage(input), options, { signal: context.signal, onProgress: context.reportProgress }),
  }),
];
