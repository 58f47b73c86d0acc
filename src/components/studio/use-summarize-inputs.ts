"use client";

import { useCallback } from "react";
import type { Generator } from "../api/types";
import { fieldLabel, isAssetField, valueLabel } from "../dashboard/schema-fields";

/**
 * "Width (px): 300 · Format: WebP": a step's options in short, without its image inputs, labelled
 * as the server labels the generator's schema.
 */
export function useSummarizeInputs(): (generator: Generator | undefined, inputs: Record<string, unknown>) => string {
  return useCallback((generator, inputs) => {
    const properties = generator?.inputSchema.properties ?? {};
    return Object.entries(inputs)
      .filter(([name, value]) => {
        const field = properties[name];
        if (name === "image" || (field && isAssetField(name, field))) return false;
        return ["string", "number", "boolean"].includes(typeof value);
      })
      .map(([name, value]) => {
        const field = properties[name];
        const text = field?.["x-enum-labels"] ? valueLabel(field, value) : String(value);
        // A prompt can be long: the history shows its start.
        const shown = text.length > 60 ? `${text.slice(0, 59)}…` : text;
        return `${fieldLabel(name, field)}: ${shown}`;
      })
      .join(" · ");
  }, []);
}
