"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import type { Generator } from "../api/types";
import { humanize, isAssetField } from "../dashboard/schema-fields";

const knownFields = ["width", "height", "fit", "format", "quality"] as const;
const isKnown = (name: string): name is (typeof knownFields)[number] => (knownFields as readonly string[]).includes(name);

/** "Width (px) 300 · Format webp": a step's options in short, without its image inputs. */
export function useSummarizeInputs(): (generator: Generator | undefined, inputs: Record<string, unknown>) => string {
  const t = useTranslations("generator");
  return useCallback(
    (generator, inputs) => {
      const properties = generator?.inputSchema.properties ?? {};
      return Object.entries(inputs)
        .filter(([name, value]) => {
          const field = properties[name];
          if (name === "image" || (field && isAssetField(name, field))) return false;
          return ["string", "number", "boolean"].includes(typeof value);
        })
        .map(([name, value]) => `${isKnown(name) ? t(`fields.${name}`) : (properties[name]?.title ?? humanize(name))}: ${String(value)}`)
        .join(" · ");
    },
    [t],
  );
}
