"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";

type LooseTranslator = { (key: string): string; has(key: string): boolean };

/**
 * A message for a key built at run time (a capability, a setting name, a generator id that may
 * come from a plugin), or the fallback when there is none, instead of a missing-message error.
 */
export function useOptionalMessage(
  namespace: "adminProviders" | "generators",
): (key: string, fallback: string) => string {
  const t = useTranslations(namespace) as unknown as LooseTranslator;
  return useCallback((key: string, fallback: string) => (t.has(key) ? t(key) : fallback), [t]);
}
