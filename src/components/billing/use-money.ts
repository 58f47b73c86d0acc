"use client";

import { useLocale } from "next-intl";
import { useCallback } from "react";
import { billingCurrency } from "@/catalog/pricing";

/** "$9.00" / "9,00 $" from cents, in the user's language; `digits` for fractions of a cent (per credit). */
export function useMoney(): (cents: number, digits?: number) => string {
  const locale = useLocale();
  return useCallback(
    (cents: number, digits = 2) =>
      new Intl.NumberFormat(locale, {
        style: "currency",
        currency: billingCurrency,
        maximumFractionDigits: digits,
      }).format(cents / 100),
    [locale],
  );
}
