import "server-only";
import { AppError } from "@/server/errors";
import { invalidParam, maxSide } from "./parse-values";
import type { BasicStep, Focus, FocusPosition } from "./transformation-types";

export type Size = { width: number; height: number };

/**
 * What the size parameters of one step ask for, in output pixels. Pure geometry, decided before
 * decoding, so limits are enforced up front and the sharp calls stay simple.
 */
export type ResizePlan =
  | { kind: "none" }
  /** Scale to exactly this size (aspect kept by construction unless c-force). */
  | { kind: "scale"; width: number; height: number }
  /** Scale to cover, then crop to the size around the focus. */
  | { kind: "cover"; width: number; height: number; focus: Focus }
  /** Scale to fit inside, then pad to the size; the image sits at `position`. */
  | { kind: "pad"; width: number; height: number; inner: Size; position: FocusPosition }
  /** Cut a region at the original scale; with `pad`, a region larger than the image is padded. */
  | {
      kind: "extract";
      width: number;
      height: number;
      region: Size;
      focus: Focus;
      x?: number;
      y?: number;
      pad: boolean;
    };

export function planResize(step: BasicStep, input: Size, maxOutputPixels: number): ResizePlan {
  const target = targetSize(step, input);
  if (target.width === undefined && target.height === undefined) return { kind: "none" };
  const plan = choosePlan(step, input, target);
  if (plan.kind !== "none") assertOutputSize(plan, maxOutputPixels);
  return plan;
}

function choosePlan(step: BasicStep, input: Size, target: { width?: number; height?: number }): ResizePlan {
  const { width, height } = target;
  if (step.cm === "extract" || step.cm === "pad_extract") {
    const pad = step.cm === "pad_extract";
    const size = { width: width ?? input.width, height: height ?? input.height };
    const region = { width: Math.min(size.width, input.width), height: Math.min(size.height, input.height) };
    return { kind: "extract", ...(pad ? size : region), region, focus: step.fo ?? "center", x: step.x, y: step.y, pad };
  }
  const scaleX = width === undefined ? undefined : width / input.width;
  const scaleY = height === undefined ? undefined : height / input.height;
  const scales = [scaleX, scaleY].filter((s): s is number => s !== undefined);
  const scaled = (scale: number) => ({ kind: "scale" as const, ...scaleSize(input, scale) });

  if (width === undefined || height === undefined) {
    // One side given: every strategy keeps the aspect ratio; at_max never enlarges.
    const scale = scales[0]!;
    return scaled(step.c === "at_max" ? Math.min(1, scale) : scale);
  }
  if (step.cm === "pad_resize") {
    return { kind: "pad", width, height, inner: scaleSize(input, Math.min(...scales)), position: asPosition(step.fo) };
  }
  switch (step.c) {
    case "force":
      return { kind: "scale", width, height };
    case "at_max":
      return scaled(Math.min(1, ...scales));
    case "at_max_enlarge":
      return scaled(Math.min(...scales));
    case "at_least":
      return scaled(Math.max(...scales));
    default:
      return { kind: "cover", width, height, focus: step.fo ?? "center" };
  }
}

/** w/h (pixels or fractions), completed by ar, multiplied by dpr. */
function targetSize(step: BasicStep, input: Size): { width?: number; height?: number } {
  const dpr = step.dpr ?? 1;
  let width = step.w === undefined ? undefined : step.w < 1 ? step.w * input.width : step.w;
  let height = step.h === undefined ? undefined : step.h < 1 ? step.h * input.height : step.h;
  if (step.ar && width !== undefined) height = (width * step.ar.h) / step.ar.w;
  else if (step.ar && height !== undefined) width = (height * step.ar.w) / step.ar.h;
  const final = (value: number | undefined) => (value === undefined ? undefined : Math.max(1, Math.round(value * dpr)));
  const result = { width: final(width), height: final(height) };
  for (const side of [result.width, result.height]) {
    if (side !== undefined && side > maxSide) throw invalidParam(step.dpr ? `dpr-${step.dpr}` : step.ar ? "ar" : "w");
  }
  return result;
}

function scaleSize(input: Size, scale: number): Size {
  return { width: Math.max(1, Math.round(input.width * scale)), height: Math.max(1, Math.round(input.height * scale)) };
}

function asPosition(focus: Focus | undefined): FocusPosition {
  return focus === undefined || focus === "auto" || focus === "face" ? "center" : focus;
}

export function assertOutputSize(size: Size, maxOutputPixels: number): void {
  if (size.width > maxSide * 2 || size.height > maxSide * 2 || size.width * size.height > maxOutputPixels) {
    throw new AppError("image_too_large", { params: { maxMegapixels: Math.floor(maxOutputPixels / 1_000_000) } });
  }
}

/** Where a region of `inner` size sits inside `outer` for a position such as top_left. */
export function offsetFor(position: FocusPosition, outer: Size, inner: Size): { left: number; top: number } {
  const freeX = Math.max(0, outer.width - inner.width);
  const freeY = Math.max(0, outer.height - inner.height);
  const left = position.includes("left") ? 0 : position.includes("right") ? freeX : Math.floor(freeX / 2);
  const top = position.includes("top") ? 0 : position.includes("bottom") ? freeY : Math.floor(freeY / 2);
  return { left, top };
}

/** A window of `inner` size centred on a point, kept inside `outer`. */
export function windowAround(point: { x: number; y: number }, outer: Size, inner: Size): { left: number; top: number } {
  const clamp = (value: number, max: number) => Math.max(0, Math.min(max, Math.round(value)));
  return {
    left: clamp(point.x - inner.width / 2, outer.width - inner.width),
    top: clamp(point.y - inner.height / 2, outer.height - inner.height),
  };
}
