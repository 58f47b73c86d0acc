"use client";

import { useLocale } from "next-intl";
import { useCallback, useMemo } from "react";

/**
 * US dollars from integer micros (millionths), in the user's language. Provider prices are often
 * fractions of a cent, so up to four decimals show, two at least.
 */
export function useFormatMicros(): (micros: number) => string {
  const locale = useLocale();
  const format = useMemo(
    () =>
      new Intl.NumberFormat(locale, {
        style: "currency",
        currency: "USD",
        minimumFractionDigits: 2,
        maximumFractionDigits: 4,
      }),
    [locale],
  );
  return useCallback((micros: number) => format.format(micros / 1_000_000), [format]);
}

export function useFormatPercent(): (fraction: number) => string {
  const locale = useLocale();
  const format = useMemo(() => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }), [locale]);
  return useCallback((fraction: number) => format.format(fraction), [format]);
}
