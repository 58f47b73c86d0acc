import "server-only";
import { AppError } from "@/server/errors";
import type { Rgba } from "./transformation-types";

/** Every grammar error is a 400 that names the parameter as the client wrote it. */
export function invalidParam(param: string): AppError {
  // The message names limits by these two words; a token spelled like them must not look like one.
  const shown = param === "steps_limit" || param === "pixels_limit" ? `${param} ` : param.slice(0, 80);
  return new AppError("invalid_transformation", { params: { param: shown } });
}

/** Largest output side in pixels; bigger requests are refused before any decoding. */
export const maxSide = 8192;

export function parseInteger(value: string | undefined, min: number, max: number, token: string): number {
  if (value === undefined || !/^\d{1,6}$/.test(value)) throw invalidParam(token);
  const number = Number(value);
  if (number < min || number > max) throw invalidParam(token);
  return number;
}

export function parseDecimal(value: string | undefined, min: number, max: number, token: string): number {
  if (value === undefined || !/^(\d{1,5}(\.\d{1,4})?|\.\d{1,4})$/.test(value)) throw invalidParam(token);
  const number = Number(value);
  if (!(number >= min && number <= max)) throw invalidParam(token);
  return number;
}

/** w and h: whole pixels (1..maxSide), or a fraction of the input size when between 0 and 1. */
export function parseSize(value: string | undefined, token: string): number {
  if (value !== undefined && /^\d+$/.test(value)) return parseInteger(value, 1, maxSide, token);
  const fraction = parseDecimal(value, 0, 1, token);
  if (fraction <= 0 || fraction >= 1) throw invalidParam(token);
  return fraction;
}

/** RRGGBB or RRGGBBAA, as ImageKit writes colours. */
export function parseColour(value: string | undefined, token: string): Rgba {
  if (value === undefined || !/^([0-9a-f]{6}|[0-9a-f]{8})$/i.test(value)) throw invalidParam(token);
  const byte = (at: number) => Number.parseInt(value.slice(at, at + 2), 16);
  return { r: byte(0), g: byte(2), b: byte(4), alpha: value.length === 8 ? byte(6) / 255 : 1 };
}

export function colourText(colour: Rgba): string {
  const hex = (n: number) => Math.round(n).toString(16).padStart(2, "0").toUpperCase();
  const alpha = colour.alpha >= 1 ? "" : hex(colour.alpha * 255);
  return `${hex(colour.r)}${hex(colour.g)}${hex(colour.b)}${alpha}`;
}

/** Degrees: `90`, `N90` (ImageKit's negative) or `-90`; normalised to 0..359. */
export function parseDegrees(value: string | undefined, token: string): number {
  const match = value === undefined ? null : /^(N|-)?(\d{1,3})$/.exec(value);
  if (!match) throw invalidParam(token);
  const degrees = Number(match[2]) * (match[1] ? -1 : 1);
  if (Math.abs(degrees) > 360) throw invalidParam(token);
  return ((degrees % 360) + 360) % 360;
}

/** Free text of generative steps (`prompt-a snowy street`): printable, bounded, single-spaced. */
export function parsePrompt(value: string | undefined, token: string): string {
  const text = value?.startsWith("prompt-") ? value.slice("prompt-".length).replace(/\s+/g, " ").trim() : "";
  if (!text || text.length > 200 || /[\u0000-\u001f\u007f]/.test(text)) throw invalidParam(token);
  return text;
}

/** `az-215_el-45_st-60` (any subset, any order) -> numbers; unknown or repeated keys are errors. */
export function parseNamedArgs(
  value: string,
  specs: Record<string, { min: number; max: number }>,
  token: string,
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const part of value.split("_")) {
    const dash = part.indexOf("-");
    const name = dash < 0 ? part : part.slice(0, dash);
    const spec = specs[name];
    if (!spec || name in result) throw invalidParam(token);
    result[name] = parseInteger(dash < 0 ? undefined : part.slice(dash + 1), spec.min, spec.max, token);
  }
  return result;
}
