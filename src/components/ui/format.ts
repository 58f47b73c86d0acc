"use client";

import { useLocale, useTranslations } from "next-intl";
import { useCallback, useMemo } from "react";

/** "1.2 MB" in the user's language. */
export function useFormatBytes(): (bytes: number) => string {
  const t = useTranslations("format");
  const locale = useLocale();
  return useCallback(
    (bytes: number) => {
      const number = (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
      if (bytes < 1000) return t("bytes", { value: number(bytes) });
      if (bytes < 1_000_000) return t("kilobytes", { value: number(bytes / 1000) });
      return t("megabytes", { value: number(bytes / 1_000_000) });
    },
    [t, locale],
  );
}

/**
 * Dates in the browser's own time zone. Only used for data fetched on the client, so server and
 * client rendering never disagree.
 */
export function useFormatDateTime(): (iso: string) => string {
  const locale = useLocale();
  const format = useMemo(() => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }), [locale]);
  return useCallback((iso: string) => format.format(new Date(iso)), [format]);
}

/** The signed URL with download=1, which makes the server answer Content-Disposition: attachment. */
export function downloadUrl(url: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}download=1`;
}
