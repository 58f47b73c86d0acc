import { z } from "zod";
import type { Rgba } from "./types";

/** Colours as the API takes them: "#rgb", "#rgba", "#rrggbb", "#rrggbbaa" or "transparent". */
export const colourPattern = /^(#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})|transparent)$/i;

export const colourSchema = z
  .string()
  .regex(colourPattern, { message: "must be a colour such as #ff8800, #ff880080 or transparent" });

export function parseColour(value: string): Rgba {
  if (!colourPattern.test(value)) throw new Error(`not a colour: ${value}`);
  if (value.toLowerCase() === "transparent") return { r: 0, g: 0, b: 0, alpha: 0 };
  let hex = value.slice(1);
  if (hex.length <= 4) hex = [...hex].map((digit) => digit + digit).join("");
  const byte = (index: number) => parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return { r: byte(0), g: byte(1), b: byte(2), alpha: hex.length === 8 ? byte(3) / 255 : 1 };
}

/** "#rrggbb" or "#rrggbbaa": what parseColour reads back to the same colour. */
export function colourText(colour: Rgba): string {
  const hex = (n: number) => Math.round(n).toString(16).padStart(2, "0");
  return `#${hex(colour.r)}${hex(colour.g)}${hex(colour.b)}${colour.alpha >= 1 ? "" : hex(colour.alpha * 255)}`;
}

export function isOpaque(colour: Rgba): boolean {
  return colour.alpha >= 1;
}
