import "server-only";
import {
  colourText,
  invalidParam,
  parseColour,
  parseDecimal,
  parseDegrees,
  parseInteger,
  parseNamedArgs,
  parsePrompt,
  parseSize,
} from "./parse-values";
import { maxChainSteps, tooManySteps } from "./render-limits";
import {
  cropModes,
  cropStrategies,
  focusPositions,
  type AiStep,
  type BasicStep,
  type CropMode,
  type CropStrategy,
  type Focus,
  type FormatParam,
  type Transformation,
  type TransformationStep,
} from "./transformation-types";

const maxLength = 2000;
const formats: Record<string, FormatParam> = {
  auto: "auto",
  orig: "orig",
  jpg: "jpg",
  jpeg: "jpg",
  png: "png",
  webp: "webp",
  avif: "avif",
};
const flips: Record<string, BasicStep["fl"]> = { h: "h", v: "v", h_v: "h_v", v_h: "h_v" };
const focuses: readonly string[] = [...focusPositions, "auto", "face"];
/** ImageKit's defaults for e-dropshadow: light azimuth, elevation, shadow strength. */
const dropShadowArgs = { az: { min: 0, max: 360 }, el: { min: 0, max: 90 }, st: { min: 0, max: 100 } };
const dropShadowDefaults = { az: 215, el: 45, st: 60 };

/**
 * Parses ImageKit's grammar: `,` between parameters, `:` between chained steps, e.g.
 * `w-400,h-300,fo-auto:f-webp`. Pure; throws invalid_transformation naming the parameter.
 */
export function parseTransformation(raw: string): Transformation {
  const text = raw.startsWith("tr:") ? raw.slice(3) : raw;
  if (text.length > maxLength) throw invalidParam("tr");
  const parsed = text
    .split(":")
    .map((step) =>
      step
        .split(",")
        .map((token) => token.trim())
        .filter(Boolean),
    )
    .filter((tokens) => tokens.length > 0)
    .map(parseStep);
  if (parsed.length > maxChainSteps) throw tooManySteps(parsed.length);
  const steps = parsed.map((p) => p.step);
  const basics = steps.filter((s): s is BasicStep => s.kind === "basic");
  return {
    steps,
    canonical: parsed.map((p) => p.canonical).join(":"),
    format: basics.findLast((s) => s.f !== undefined)?.f,
    quality: basics.findLast((s) => s.q !== undefined)?.q,
  };
}

/** `w-400` -> w / 400; `e-sharpen-5` -> e-sharpen / 5; `e-grayscale` -> e-grayscale / none. */
export function splitToken(token: string): { key: string; value: string | undefined } {
  const start = token.startsWith("e-") ? 2 : 0;
  const dash = token.indexOf("-", start);
  return dash < 0 ? { key: token, value: undefined } : { key: token.slice(0, dash), value: token.slice(dash + 1) };
}

type ParsedStep = { step: TransformationStep; canonical: string };

function parseStep(tokens: string[]): ParsedStep {
  const basic: BasicStep = { kind: "basic" };
  /** Canonical token per parameter; the key set also catches repeats. */
  const canonical = new Map<string, string>();
  const written = new Map<string, string>();
  let ai: { step: AiStep; slot: string } | undefined;

  for (const token of tokens) {
    const { key, value } = splitToken(token);
    // c-pad_resize is accepted as an alias of ImageKit's cm-pad_resize.
    const slot = key === "c" && value === "pad_resize" ? "cm" : key;
    if (canonical.has(slot)) throw invalidParam(token);
    written.set(slot, token);
    const aiStep = parseAiToken(key, value, token);
    if (aiStep) {
      if (ai) throw invalidParam(token);
      ai = { step: aiStep, slot };
      canonical.set(slot, aiStep.token);
      continue;
    }
    canonical.set(slot, parseBasicToken(basic, key, value, token));
  }

  const sorted = [...canonical.keys()]
    .sort()
    .map((slot) => canonical.get(slot)!)
    .join(",");
  if (ai) return { step: finishAiStep(ai.step, ai.slot, basic, written, sorted), canonical: sorted };
  checkBasicStep(basic, (slot) => written.get(slot) ?? slot);
  return { step: basic, canonical: sorted };
}

/** Sets one parameter on the step and returns its canonical token. */
function parseBasicToken(step: BasicStep, key: string, value: string | undefined, token: string): string {
  switch (key) {
    case "w":
    case "h":
      step[key] = parseSize(value, token);
      return `${key}-${step[key]}`;
    case "ar": {
      const match = value === undefined ? null : /^([\d.]+)-([\d.]+)$/.exec(value);
      if (!match) throw invalidParam(token);
      step.ar = { w: parseDecimal(match[1], 0.01, 100, token), h: parseDecimal(match[2], 0.01, 100, token) };
      if (step.ar.w === 0 || step.ar.h === 0) throw invalidParam(token);
      return `ar-${step.ar.w}-${step.ar.h}`;
    }
    case "c":
      if (value === "pad_resize") {
        step.cm = "pad_resize";
        return "cm-pad_resize";
      }
      if (!(cropStrategies as readonly string[]).includes(value ?? "")) throw invalidParam(token);
      step.c = value as CropStrategy;
      return `c-${value}`;
    case "cm":
      if (!(cropModes as readonly string[]).includes(value ?? "")) throw invalidParam(token);
      step.cm = value as CropMode;
      return `cm-${value}`;
    case "fo":
      if (!focuses.includes(value ?? "")) throw invalidParam(token);
      step.fo = value as Focus;
      return `fo-${value}`;
    case "x":
    case "y":
      step[key] = parseInteger(value, 0, 65_535, token);
      return `${key}-${step[key]}`;
    case "dpr":
      step.dpr = parseDecimal(value, 0.1, 5, token);
      return `dpr-${step.dpr}`;
    case "f":
      step.f = formats[value ?? ""];
      if (!step.f) throw invalidParam(token);
      return `f-${step.f}`;
    case "q":
      step.q = parseInteger(value, 1, 100, token);
      return `q-${step.q}`;
    case "rt":
      step.rt = value === "auto" ? "auto" : parseDegrees(value, token);
      return `rt-${step.rt}`;
    case "fl":
      step.fl = flips[value ?? ""];
      if (!step.fl) throw invalidParam(token);
      return `fl-${step.fl}`;
    case "bl":
      step.bl = parseInteger(value, 1, 100, token);
      return `bl-${step.bl}`;
    case "e-sharpen":
      step.sharpen = value === undefined ? 10 : parseInteger(value, 1, 100, token);
      return value === undefined ? "e-sharpen" : `e-sharpen-${step.sharpen}`;
    case "e-grayscale":
      if (value !== undefined) throw invalidParam(token);
      step.grayscale = true;
      return "e-grayscale";
    case "bg":
      step.bg = parseColour(value, token);
      return `bg-${colourText(step.bg)}`;
    case "b": {
      const [width, colour, extra] = (value ?? "").split("_");
      if (extra !== undefined) throw invalidParam(token);
      step.border = { width: parseInteger(width, 1, 1000, token), color: parseColour(colour, token) };
      return `b-${step.border.width}_${colourText(step.border.color)}`;
    }
    case "r":
      step.radius = value === "max" ? "max" : parseInteger(value, 1, 10_000, token);
      return `r-${step.radius}`;
    case "t":
      // t-true uses the default threshold; t-N (1..99) sets it.
      step.t = value === "true" ? 10 : parseInteger(value, 1, 99, token);
      return value === "true" ? "t-true" : `t-${step.t}`;
    default:
      throw invalidParam(token);
  }
}

/** Recognises the AI steps; undefined for everything else. */
function parseAiToken(key: string, value: string | undefined, token: string): AiStep | undefined {
  const plain = (op: AiStep["op"]): AiStep => {
    if (value !== undefined) throw invalidParam(token);
    return { kind: "ai", op, token: key, args: {} };
  };
  switch (key) {
    case "e-bgremove":
      return plain("bgremove");
    case "e-upscale":
      return plain("upscale");
    case "e-retouch":
      return plain("retouch");
    case "e-dropshadow": {
      const args = {
        ...dropShadowDefaults,
        ...(value === undefined ? {} : parseNamedArgs(value, dropShadowArgs, token)),
      };
      return { kind: "ai", op: "dropshadow", token: `e-dropshadow-az-${args.az}_el-${args.el}_st-${args.st}`, args };
    }
    case "e-changebg":
    case "e-edit": {
      const prompt = parsePrompt(value, token);
      return {
        kind: "ai",
        op: key === "e-edit" ? "edit" : "changebg",
        token: `${key}-prompt-${prompt}`,
        args: { prompt },
      };
    }
    case "bg": {
      if (value !== "genfill" && !value?.startsWith("genfill-")) return undefined;
      const prompt = value === "genfill" ? undefined : parsePrompt(value.slice("genfill-".length), token);
      return {
        kind: "ai",
        op: "genfill",
        token: prompt ? `bg-genfill-prompt-${prompt}` : "bg-genfill",
        args: prompt ? { prompt } : {},
      };
    }
    default:
      return undefined;
  }
}

/**
 * AI steps stand alone in their step (their order against other edits would be ambiguous);
 * only bg-genfill takes the canvas size it fills, as in ImageKit: `bg-genfill,w-800,h-600,cm-pad_resize`.
 */
function finishAiStep(
  ai: AiStep,
  aiSlot: string,
  basic: BasicStep,
  written: Map<string, string>,
  canonical: string,
): AiStep {
  const allowed = ai.op === "genfill" ? ["w", "h", "cm"] : [];
  for (const [slot, token] of written) {
    if (slot !== aiSlot && !allowed.includes(slot)) throw invalidParam(token);
  }
  if (ai.op !== "genfill") return ai;
  if (basic.cm && basic.cm !== "pad_resize") throw invalidParam(written.get("cm")!);
  for (const side of ["w", "h"] as const) {
    const size = basic[side];
    if (size !== undefined && size < 1) throw invalidParam(written.get(side)!);
  }
  const args = { ...ai.args, ...(basic.w ? { width: basic.w } : {}), ...(basic.h ? { height: basic.h } : {}) };
  return { ...ai, token: canonical, args };
}

/** Parameters that contradict each other, or that need another one to mean anything. */
function checkBasicStep(step: BasicStep, tokenOf: (slot: string) => string): void {
  const hasW = step.w !== undefined;
  const hasH = step.h !== undefined;
  const sized = hasW || hasH;
  if (step.ar && hasW === hasH) throw invalidParam(tokenOf("ar"));
  if (step.c && step.cm) throw invalidParam(tokenOf("cm"));
  for (const slot of ["c", "cm", "dpr", "fo"] as const) {
    if (step[slot] !== undefined && !sized) throw invalidParam(tokenOf(slot));
  }
  const extracting = step.cm === "extract" || step.cm === "pad_extract";
  for (const slot of ["x", "y"] as const) {
    if (step[slot] !== undefined && (!extracting || step.fo)) throw invalidParam(tokenOf(slot));
  }
  if (step.fo) {
    const cropsBoth = (hasW && hasH) || step.ar !== undefined;
    // Only cropping and padding have a position; c-force and the at_* strategies never crop.
    const noCrop = step.c !== undefined && step.c !== "maintain_ratio";
    const padPositionOnly = step.cm === "pad_resize" && (step.fo === "auto" || step.fo === "face");
    if (noCrop || padPositionOnly || (!step.cm && !cropsBoth)) throw invalidParam(tokenOf("fo"));
  }
}
