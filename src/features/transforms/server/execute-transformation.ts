import "server-only";
import type { Sharp } from "sharp";
import {
  applyOp,
  blurOp,
  borderOp,
  colourText,
  cropOp,
  flipOp,
  grayscaleOp,
  padOp,
  resizeOp,
  rotateOp,
  roundCornersOp,
  settle,
  sharpenOp,
  stages,
  startWorking,
  trimOp,
  type ImageOp,
  type Settled,
  type Working,
} from "@/engine/image-ops";
import { sharp } from "@/engine/sharp";
import type { z } from "zod";
import { encodeAs, mimeOfFormat, white } from "./encode-output";
import { attentionPoint, facePoint, type FaceLocator, type Point } from "./image-focus";
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

type Sized = Working & { size: Size };
type StepContext = Omit<ExecuteOptions, "input" | "steps" | "format" | "quality"> & {
  focus?: "face" | "attention";
  /** When the render must end (ms since the epoch). */
  deadline?: number;
};

const transparent: Rgba = { r: 0, g: 0, b: 0, alpha: 0 };
const flipDirection = { h: "horizontal", v: "vertical", h_v: "both" } as const;
const gravity: Record<FocusPosition, z.output<typeof resizeOp.options>["position"]> = {
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
 * Applies the non-AI steps with the engine's image operations (the ones the local tools use).
 * The first step reads the encoded input directly, so a JPEG or WebP is shrunk while decoding.
 * Within a step the order is: rotate, flip, trim, resize/crop, blur, sharpen, grayscale, radius,
 * border. Operations of a step share one libvips pass while sharp's fixed order allows; otherwise
 * (and where a step needs the pixels, e.g. to find a face) the pipeline runs into raw pixels
 * first, never into an encoded image.
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

async function run(
  options: ExecuteOptions,
  meta: Size & { hasAlpha?: boolean },
  context: StepContext,
): Promise<ExecuteResult> {
  const encoded = sharp(options.input, { limitInputPixels: options.limits.maxInputPixels, failOn: "error" });
  let current = startWorking(encoded, { width: meta.width, height: meta.height }, !meta.hasAlpha);
  for (const [index, step] of options.steps.entries()) {
    checkDeadline(context, options.timeoutSeconds);
    current = await applyStep(current, step, context);
    // Each step starts from the pixels of the one before, as a generator step does (into raw
    // pixels, not re-encoded): sharp would otherwise premultiply differently at alpha edges.
    if (index < options.steps.length - 1) current = await settleWithin(current, context);
  }
  const background = options.steps.findLast((s) => s.bg)?.bg ?? white;
  // sharp flattens before compositing and rotating, so alpha made by those needs its own pass.
  if (options.format === "jpg" && options.steps.some(makesAlpha)) current = await settleWithin(current, context);
  checkDeadline(context, options.timeoutSeconds);
  const encoder = withTimeout(encodeAs(current.image, options.format, options.quality, background), context);
  const { data, info } = await encoder.toBuffer({ resolveWithObject: true });
  return {
    data,
    format: options.format,
    mime: mimeOfFormat[options.format],
    width: info.width,
    height: info.height,
    focus: context.focus,
  };
}

function checkDeadline(context: StepContext, seconds: number | undefined): void {
  if (context.deadline !== undefined && Date.now() >= context.deadline) throw renderTimeout(seconds ?? 0);
}

/** The time left of the render for one pipeline (sharp counts whole seconds, at least one). */
function withTimeout(image: Sharp, context: StepContext): Sharp {
  if (context.deadline === undefined) return image;
  return image.timeout({ seconds: Math.max(1, Math.ceil((context.deadline - Date.now()) / 1000)) });
}

/** Runs the pipeline so far into raw pixels, within the render's time. */
function settleWithin(current: Working, context: StepContext): Promise<Settled> {
  return settle(current, (image) => withTimeout(image, context));
}

function apply<Schema extends z.ZodType>(
  current: Working,
  op: ImageOp<Schema>,
  options: z.output<Schema>,
  context: StepContext,
) {
  return applyOp(current, op, options, (working) => settleWithin(working, context));
}

async function sized(current: Working, context: StepContext): Promise<Sized> {
  return current.size === undefined ? settleWithin(current, context) : { ...current, size: current.size };
}

async function applyStep(start: Working, step: BasicStep, context: StepContext): Promise<Working> {
  let current = start;
  if (step.rt === "auto") {
    // The EXIF orientation: what it swaps only the result tells.
    current = { ...current, image: current.image.autoOrient(), size: undefined, stage: stages.rotate };
  } else if (step.rt !== undefined) {
    current = await apply(
      current,
      rotateOp,
      { angle: step.rt, background: colourText(step.bg ?? transparent) },
      context,
    );
  }
  if (step.fl) current = await apply(current, flipOp, { direction: flipDirection[step.fl] }, context);
  if (step.t !== undefined) current = await apply(current, trimOp, { threshold: step.t }, context);
  let known = await sized(current, context);
  assertOutputSize(known.size, context.limits.maxOutputPixels);

  const plan = planResize(step, known.size, context.limits.maxOutputPixels);
  current = await applyPlan(known, plan, step, context);

  // ImageKit's bl-N is a radius: the blur tool's sigma is half of it. e-sharpen-N is the sharpen
  // tool with libvips' default amount (2).
  if (step.bl) current = await apply(current, blurOp, { sigma: Math.max(0.3, step.bl / 2) }, context);
  if (step.sharpen) current = await apply(current, sharpenOp, { sigma: 0.5 + step.sharpen / 25, amount: 2 }, context);
  if (step.grayscale) current = await apply(current, grayscaleOp, {}, context);
  if (step.radius !== undefined) current = await apply(current, roundCornersOp, { radius: step.radius }, context);
  if (step.border) {
    const { width, color } = step.border;
    known = await sized(current, context);
    assertOutputSize(
      { width: known.size.width + 2 * width, height: known.size.height + 2 * width },
      context.limits.maxOutputPixels,
    );
    current = await apply(known, borderOp, { width, colour: colourText(color) }, context);
  }
  return current;
}

async function applyPlan(start: Sized, plan: ResizePlan, step: BasicStep, context: StepContext): Promise<Working> {
  const padColour = colourText(step.bg ?? white);
  switch (plan.kind) {
    case "none":
      return start;
    case "scale":
      return apply(
        start,
        resizeOp,
        { width: plan.width, height: plan.height, fit: "fill", position: "centre", background: padColour },
        context,
      );
    case "pad": {
      const position = gravity[plan.position];
      return apply(
        start,
        resizeOp,
        { width: plan.width, height: plan.height, fit: "contain", position, background: padColour },
        context,
      );
    }
    case "cover": {
      const size = { width: plan.width, height: plan.height };
      const cover = (current: Working, position: z.output<typeof resizeOp.options>["position"]) =>
        apply(current, resizeOp, { ...size, fit: "cover", position, background: padColour }, context);
      if (plan.focus !== "face" && plan.focus !== "auto") return cover(start, gravity[plan.focus]);
      if (plan.focus === "auto") return cover(start, "attention");
      const settled = await settleWithin(start, context);
      const point = await findFace(settled, context);
      if (!point) return cover(settled, "attention");
      // Scale to cover, then cut the window around the face.
      const scale = Math.max(size.width / settled.size.width, size.height / settled.size.height);
      const covered = {
        width: Math.max(size.width, Math.round(settled.size.width * scale)),
        height: Math.max(size.height, Math.round(settled.size.height * scale)),
      };
      const { left, top } = windowAround({ x: point.x * scale, y: point.y * scale }, covered, size);
      const scaled = await apply(
        settled,
        resizeOp,
        { ...covered, fit: "fill", position: "centre", background: padColour },
        context,
      );
      return apply(scaled, cropOp, { x: left, y: top, ...size }, context);
    }
    case "extract":
      return extractRegion(start, plan, context, padColour);
  }
}

async function extractRegion(
  start: Sized,
  plan: Extract<ResizePlan, { kind: "extract" }>,
  context: StepContext,
  padColour: string,
): Promise<Working> {
  const { region, focus } = plan;
  let current: Sized = start;
  let offset: { left: number; top: number };
  if (plan.x !== undefined || plan.y !== undefined) {
    const centred = offsetFor("center", current.size, region);
    offset = {
      left: plan.x === undefined ? centred.left : Math.min(plan.x, current.size.width - region.width),
      top: plan.y === undefined ? centred.top : Math.min(plan.y, current.size.height - region.height),
    };
  } else if (focus === "auto" || focus === "face") {
    const settled = await settleWithin(current, context);
    const point: Point =
      (focus === "face" ? await findFace(settled, context) : undefined) ?? (await attentionPoint(settled.raw));
    offset = windowAround(point, settled.size, region);
    current = settled;
  } else {
    offset = offsetFor(focus, current.size, region);
  }
  const cut = await apply(current, cropOp, { x: offset.left, y: offset.top, ...region }, context);
  if (!plan.pad || (plan.width <= region.width && plan.height <= region.height)) return cut;
  const at = offsetFor("center", plan, region);
  const margins = {
    left: at.left,
    top: at.top,
    right: plan.width - region.width - at.left,
    bottom: plan.height - region.height - at.top,
  };
  return apply(cut, padOp, { ...margins, colour: padColour }, context);
}

async function findFace(settled: Settled, context: StepContext): Promise<Point | undefined> {
  const point = await facePoint(settled.raw, context.locateFaces);
  context.focus = point ? "face" : "attention";
  return point;
}

/** Whether a step can make transparent pixels (which JPEG must flatten). */
export function makesAlpha(step: BasicStep): boolean {
  return (
    step.radius !== undefined ||
    typeof step.rt === "number" ||
    (step.bg?.alpha ?? 1) < 1 ||
    (step.border?.color.alpha ?? 1) < 1
  );
}
