import "server-only";
import { AppError } from "@/server/errors";
import { planResize, type Size } from "./plan-resize";
import type { BasicStep } from "./transformation-types";

/**
 * Steps in one chain (`a:b:c` is three). ImageKit documents no hard number; 10 covers every
 * real chain (resize, crop, effects, format) while a 60-step chain on a 25 MP image is refused.
 */
export const maxChainSteps = 10;

/**
 * Pixels one request may process, summed over its steps (each step counts the largest image it
 * handles: its input, or its output when that is bigger). Six full passes over the largest
 * upload: ordinary chains on any upload stay far below it, and a render stays a few seconds of CPU.
 */
export function maxRenderPixels(uploadMaxPixels: number): number {
  return 6 * uploadMaxPixels;
}

export function tooManySteps(count: number): AppError {
  return new AppError("invalid_transformation", { params: { param: "steps_limit", max: maxChainSteps, count } });
}

/**
 * The pixels a chain of basic steps handles, from the input size alone (header or asset row), by
 * the same geometry the executor uses; trims count as not shrinking, free rotations as their
 * bounding box. Throws what planResize throws (an output past the limits).
 */
export function chainPixels(steps: BasicStep[], input: Size, maxOutputPixels: number): number {
  let size = input;
  let total = 0;
  for (const step of steps) {
    let largest = area(size);
    if (typeof step.rt === "number" && step.rt % 90 !== 0) size = rotatedBox(size, step.rt);
    else if (step.rt === 90 || step.rt === 270) size = { width: size.height, height: size.width };
    largest = Math.max(largest, area(size));
    const plan = planResize(step, size, maxOutputPixels);
    if (plan.kind !== "none") size = { width: plan.width, height: plan.height };
    largest = Math.max(largest, area(size));
    if (step.border) size = { width: size.width + 2 * step.border.width, height: size.height + 2 * step.border.width };
    total += Math.max(largest, area(size));
  }
  return total;
}

/** 400 invalid_transformation naming the limit, before any pixel is decoded. */
export function assertRenderBudget(
  steps: BasicStep[],
  input: Size,
  limits: { maxOutputPixels: number; maxRenderPixels: number },
): void {
  const pixels = chainPixels(steps, input, limits.maxOutputPixels);
  if (pixels > limits.maxRenderPixels) {
    throw new AppError("invalid_transformation", {
      params: { param: "pixels_limit", max: Math.floor(limits.maxRenderPixels / 1e6), count: Math.ceil(pixels / 1e6) },
    });
  }
}

/** A render that ran out of time: 503 with Retry-After (the machine may just be busy). */
export function renderTimeout(seconds: number, cause?: unknown): AppError {
  return new AppError("render_timeout", { params: { seconds }, retryAfterSeconds: 5, cause });
}

function area(size: Size): number {
  return size.width * size.height;
}

function rotatedBox(size: Size, degrees: number): Size {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.abs(Math.cos(radians));
  const sin = Math.abs(Math.sin(radians));
  return {
    width: Math.ceil(size.width * cos + size.height * sin),
    height: Math.ceil(size.width * sin + size.height * cos),
  };
}
