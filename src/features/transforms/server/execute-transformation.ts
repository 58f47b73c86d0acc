import "server-only";
import type { Sharp } from "sharp";
import { sharp } from "@/engine/sharp";
import { encodeAs, mimeOfFormat, white } from "./encode-output";
import { attentionPoint, facePoint, fromRaw, type FaceLocator, type Point, type RawImage } from "./image-focus";
import { assertOutputSize, offsetFor, planResize, windowAround, type ResizePlan, type Size } from "./plan-resize";
import { assertRenderBudget, renderTimeout } from "./render-limits";
import type { BasicStep, FocusPosition, ImageFormat, Rgba } from "./transformation-types";

export type ExecuteOptions = {
  input: Buffer;
  steps: BasicStep[];
  format: ImageFormat;
  quality?: number;
  /** maxRenderPixels: the sum over the steps (see render-limits); unlimited when not given. */
  limits: { maxInputPixels: number; maxOutputPixels: number; maxRenderPixels?: number };
  /** Seconds the whole render may take; each sharp pipeline gets what is left of it. */
  timeoutSeconds?: number;
  /** For fo-face; without it (or without a face) the focus is libvips' attention. */
  locateFaces?: FaceLocator;
};

export type ExecuteResult = {
  data: Buffer;
  format: ImageFormat;
  mime: string;
  width: number;
  height: number;
  /** What fo-face found, for logs and tests: "face" or "attention" (the fallback). */
  focus?: "face" | "attention";
};

type Current = { image: Sharp; size: Size };
type StepContext = Omit<ExecuteOptions, "input" | "steps" | "format" | "quality"> & {
  focus?: "face" | "attention";
  /** When the render must end (ms since the epoch). */
  deadline?: number;
};

const transparent: Rgba = { r: 0, g: 0, b: 0, alpha: 0 };
const gravity: Record<FocusPosition, string> = {
  center: "centre",
  top: "north",
  top_right: "northeast",
  right: "east",
  bottom_right: "southeast",
  bottom: "south",
  bottom_left: "southwest",
  left: "west",
  top_left: "northwest",
};

/**
 * Applies the non-AI steps with sharp. The first step reads the encoded input directly, so a
 * JPEG or WebP is shrunk while decoding; later steps get raw pixels (no re-encoding in between).
 * Within a step the order is: rotate, flip, trim, resize/crop, blur, sharpen, grayscale, radius,
 * border. sharp orders some operations itself, so steps that need another order use extra passes.
 */
export async function executeTransformation(options: ExecuteOptions): Promise<ExecuteResult> {
  // The header alone, unlimited, so an oversized input is a clear 413 rather than sharp's bare error.
  const meta = await sharp(options.input, { limitInputPixels: false }).metadata();
  if (meta.width * meta.height > options.limits.maxInputPixels) assertOutputSize(meta, options.limits.maxInputPixels);
  const { maxRenderPixels } = options.limits;
  if (maxRenderPixels !== undefined) assertRenderBudget(options.steps, meta, { ...options.limits, maxRenderPixels });
  const context: StepContext = {
    limits: options.limits,
    locateFaces: options.locateFaces,
    deadline: options.timeoutSeconds === undefined ? undefined : Date.now() + options.timeoutSeconds * 1000,
  };
  try {
    return await run(options, meta, context);
  } catch (error) {
    // libvips stops a pipeline past its timeout with "timeout: N% complete".
    if (options.timeoutSeconds !== undefined && error instanceof Error && /^timeout: /.test(error.message)) {
      throw renderTimeout(options.timeoutSeconds, error);
    }
    throw error;
  }
}

async function run(options: ExecuteOptions, meta: Size, context: StepContext): Promise<ExecuteResult> {
  const encoded = sharp(options.input, { limitInputPixels: options.limits.maxInputPixels, failOn: "error" });
  let current: Current = { image: encoded, size: { width: meta.width, height: meta.height } };
  for (const [index, step] of options.steps.entries()) {
    checkDeadline(context, options.timeoutSeconds);
    current = await applyStep(current, step, context);
    if (index < options.steps.length - 1) current = await settle(current, context);
  }
  const background = options.steps.findLast((s) => s.bg)?.bg ?? white;
  // sharp flattens before compositing and rotating, so alpha made by those needs its own pass.
  if (options.format === "jpg" && options.steps.some(makesAlpha)) current = await settle(current, context);
  checkDeadline(context, options.timeoutSeconds);
  const encoder = withTimeout(encodeAs(current.image, options.format, options.quality, background), context);
  const { data, info } = await encoder.toBuffer({ resolveWithObject: true });
  return { data, format: options.format, mime: mimeOfFormat[options.format], width: info.width, height: info.height, focus: context.focus };
}

function checkDeadline(context: StepContext, seconds: number | undefined): void {
  if (context.deadline !== undefined && Date.now() >= context.deadline) throw renderTimeout(seconds ?? 0);
}

/** The time left of the render for one pipeline (sharp counts whole seconds, at least one). */
function withTimeout(image: Sharp, context: StepContext): Sharp {
  if (context.deadline === undefined) return image;
  return image.timeout({ seconds: Math.max(1, Math.ceil((context.deadline - Date.now()) / 1000)) });
}

async function applyStep(start: Current, step: BasicStep, context: StepContext): Promise<Current> {
  let current = start;
  const rightAngle = typeof step.rt === "number" && step.rt % 90 === 0;
  if (step.t !== undefined || (step.rt !== undefined && !rightAngle)) {
    // Trim, EXIF and free rotation change the size in ways only the result tells.
    current = await settle({ ...current, image: orient(current.image, step) }, context);
    if (step.t !== undefined) current = await settle({ ...current, image: current.image.trim({ threshold: step.t }) }, context);
  } else if (step.rt !== undefined || step.fl) {
    const turned = step.rt === 90 || step.rt === 270;
    const size = turned ? { width: current.size.height, height: current.size.width } : current.size;
    current = { image: orient(current.image, step), size };
  }
  assertOutputSize(current.size, context.limits.maxOutputPixels);

  const plan = planResize(step, current.size, context.limits.maxOutputPixels);
  current = await applyPlan(current, plan, step, context);

  if (step.bl) current.image = current.image.blur(Math.max(0.3, step.bl / 2));
  if (step.sharpen) current.image = current.image.sharpen({ sigma: 0.5 + step.sharpen / 25 });
  if (step.grayscale) current.image = current.image.grayscale();
  if (step.radius !== undefined) current = await roundCorners(await settle(current, context), step.radius);
  if (step.border) {
    if (step.radius !== undefined) current = await settle(current, context);
    const { width, color } = step.border;
    const size = { width: current.size.width + 2 * width, height: current.size.height + 2 * width };
    assertOutputSize(size, context.limits.maxOutputPixels);
    current = { image: current.image.extend({ top: width, bottom: width, left: width, right: width, background: color }), size };
  }
  return current;
}

/**
 * Rotation then flip. sharp always flips before rotating; for one mirror axis that equals
 * rotating the other way first (a reflection turns a rotation into its inverse).
 */
function orient(image: Sharp, step: BasicStep): Sharp {
  const flop = step.fl === "h" || step.fl === "h_v";
  const flip = step.fl === "v" || step.fl === "h_v";
  let result = image;
  if (step.rt === "auto") result = result.autoOrient();
  else if (step.rt) result = result.rotate(flop !== flip ? (360 - step.rt) % 360 : step.rt, { background: step.bg ?? transparent });
  if (flop) result = result.flop();
  if (flip) result = result.flip();
  return result;
}

async function applyPlan(start: Current, plan: ResizePlan, step: BasicStep, context: StepContext): Promise<Current> {
  const padColour = step.bg ?? white;
  switch (plan.kind) {
    case "none":
      return start;
    case "scale":
      return { image: start.image.resize({ width: plan.width, height: plan.height, fit: "fill" }), size: plan };
    case "pad":
      return {
        image: start.image.resize({ width: plan.width, height: plan.height, fit: "contain", position: gravity[plan.position], background: padColour }),
        size: plan,
      };
    case "cover": {
      const size = { width: plan.width, height: plan.height };
      if (plan.focus !== "face" && plan.focus !== "auto") {
        return { image: start.image.resize({ ...size, fit: "cover", position: gravity[plan.focus] }), size };
      }
      if (plan.focus === "auto") return { image: start.image.resize({ ...size, fit: "cover", position: "attention" }), size };
      const settled = await settle(start, context);
      const point = await findFace(settled, context);
      if (!point) return { image: settled.image.resize({ ...size, fit: "cover", position: "attention" }), size };
      // Scale to cover, then cut the window around the face.
      const scale = Math.max(size.width / settled.size.width, size.height / settled.size.height);
      const covered = {
        width: Math.max(size.width, Math.round(settled.size.width * scale)),
        height: Math.max(size.height, Math.round(settled.size.height * scale)),
      };
      const { left, top } = windowAround({ x: point.x * scale, y: point.y * scale }, covered, size);
      return { image: settled.image.resize({ ...covered, fit: "fill" }).extract({ left, top, ...size }), size };
    }
    case "extract":
      return extractRegion(start, plan, context, padColour);
  }
}

async function extractRegion(start: Current, plan: Extract<ResizePlan, { kind: "extract" }>, context: StepContext, padColour: Rgba): Promise<Current> {
  const { region, focus } = plan;
  let current = start;
  let offset: { left: number; top: number };
  if (plan.x !== undefined || plan.y !== undefined) {
    const centred = offsetFor("center", current.size, region);
    offset = {
      left: plan.x === undefined ? centred.left : Math.min(plan.x, current.size.width - region.width),
      top: plan.y === undefined ? centred.top : Math.min(plan.y, current.size.height - region.height),
    };
  } else if (focus === "auto" || focus === "face") {
    const settled = await settle(current, context);
    const point: Point = (focus === "face" ? await findFace(settled, context) : undefined) ?? (await attentionPoint(settled.raw));
    offset = windowAround(point, settled.size, region);
    current = settled;
  } else {
    offset = offsetFor(focus, current.size, region);
  }
  let image = current.image.extract({ ...offset, ...region });
  if (plan.pad && (plan.width > region.width || plan.height > region.height)) {
    const at = offsetFor("center", plan, region);
    image = image.extend({
      left: at.left,
      top: at.top,
      right: plan.width - region.width - at.left,
      bottom: plan.height - region.height - at.top,
      background: padColour,
    });
  }
  return { image, size: { width: plan.width, height: plan.height } };
}

async function findFace(settled: Current & { raw: RawImage }, context: StepContext): Promise<Point | undefined> {
  const point = await facePoint(settled.raw, context.locateFaces);
  context.focus = point ? "face" : "attention";
  return point;
}

/** Corners made transparent with an anti-aliased rounded-rectangle mask; `max` gives a circle or pill. */
async function roundCorners(current: Current, radius: number | "max"): Promise<Current> {
  const { width, height } = current.size;
  const r = Math.min(radius === "max" ? Infinity : radius, Math.min(width, height) / 2);
  const mask = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect x="0" y="0" width="${width}" height="${height}" rx="${r}" ry="${r}" fill="#fff"/></svg>`,
  );
  return { image: current.image.ensureAlpha().composite([{ input: mask, blend: "dest-in" }]), size: current.size };
}

/** Whether a step can make transparent pixels (which JPEG must flatten). */
export function makesAlpha(step: BasicStep): boolean {
  return step.radius !== undefined || typeof step.rt === "number" || (step.bg?.alpha ?? 1) < 1 || (step.border?.color.alpha ?? 1) < 1;
}

/** Runs the pipeline so far into raw pixels; the next operations start from a known size. */
async function settle(current: Current, context: StepContext): Promise<Current & { raw: RawImage }> {
  const { data, info } = await withTimeout(current.image.raw(), context).toBuffer({ resolveWithObject: true });
  const raw: RawImage = { data, info: { width: info.width, height: info.height, channels: info.channels } };
  return { image: fromRaw(raw), size: { width: info.width, height: info.height }, raw };
}
