import { z } from "zod";
import { AppError } from "@/server/errors";
import { colourSchema, isOpaque, parseColour } from "./colour";
import { defineOp, stages } from "./types";

const side = z.number().int().min(1).max(8000);

/** Cuts a rectangle out, in pixels from the top left; the rectangle must lie inside the image. */
export const cropOp = defineOp({
  name: "crop",
  options: z.object({
    x: z.number().int().min(0).max(100_000),
    y: z.number().int().min(0).max(100_000),
    width: side,
    height: side,
  }),
  stage: stages.crop,
  apply(current, { x, y, width, height }) {
    const fields: Record<string, string[]> = {};
    // Only known at run time: the schema cannot see the image, so the job fails with the reason.
    if (x + width > current.size.width) {
      fields["inputs.width"] = [`x + width (${x + width}) is more than the image width (${current.size.width})`];
    }
    if (y + height > current.size.height) {
      fields["inputs.height"] = [`y + height (${y + height}) is more than the image height (${current.size.height})`];
    }
    const reasons = Object.values(fields).flat();
    if (reasons.length > 0) {
      throw new AppError("validation_failed", {
        message: `the crop area is outside the image: ${reasons.join("; ")}`,
        fields,
      });
    }
    return { ...current, image: current.image.extract({ left: x, top: y, width, height }), size: { width, height } };
  },
});

function normalisedAngle(angle: number): number {
  return ((angle % 360) + 360) % 360;
}

/**
 * Rotates clockwise by any angle. Right angles are lossless in geometry; other angles grow the
 * canvas and fill the corners with the background (transparent by default).
 */
export const rotateOp = defineOp({
  name: "rotate",
  options: z.object({ angle: z.number().min(-360).max(360), background: colourSchema.optional() }),
  stage: stages.rotate,
  apply(current, options) {
    const angle = normalisedAngle(options.angle);
    if (angle === 0) return current;
    const background = parseColour(options.background ?? "transparent");
    const image = current.image.rotate(angle, { background });
    const turned = angle === 90 || angle === 270;
    // Free angles: the bounding box is libvips' to round, so the size is known once run.
    const size =
      angle % 90 !== 0 ? undefined : turned ? { width: current.size.height, height: current.size.width } : current.size;
    return { ...current, image, size, rotation: { angle, background } };
  },
  makesAlpha: (options) =>
    normalisedAngle(options.angle) % 90 !== 0 && !isOpaque(parseColour(options.background ?? "transparent")),
});

export const flipDirections = ["horizontal", "vertical", "both"] as const;

/** Mirrors left-right (horizontal), top-bottom (vertical) or both. */
export const flipOp = defineOp({
  name: "flip",
  options: z.object({ direction: z.enum(flipDirections).default("horizontal") }),
  stage: stages.flip,
  apply(current, { direction }) {
    let image = current.image;
    // sharp mirrors before it rotates. Rotating by a then mirroring on one axis equals mirroring
    // first and rotating by -a (a reflection turns a rotation into its inverse).
    if (current.rotation && direction !== "both") {
      image = image.rotate((360 - current.rotation.angle) % 360, { background: current.rotation.background });
    }
    // sharp's names are the other way round: flop mirrors horizontally, flip vertically.
    if (direction !== "vertical") image = image.flop();
    if (direction !== "horizontal") image = image.flip();
    return { ...current, image, rotation: undefined };
  },
});

/**
 * Removes borders of the top-left pixel's colour (within `threshold`, 0-255). An image that is one
 * colour all over, or too small to tell a border (under 3×3), comes back as it is.
 */
export const trimOp = defineOp({
  name: "trim",
  options: z.object({ threshold: z.number().int().min(0).max(255).default(10) }),
  stage: stages.trim,
  apply(current, { threshold }) {
    if (current.size.width < 3 || current.size.height < 3) return current;
    return { ...current, image: current.image.trim({ threshold }), size: undefined };
  },
});
