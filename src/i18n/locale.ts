/** Locales the UI ships; messages live in src/messages/<locale>.json. */
export const locales = ["en", "de"] as const;
export type AppLocale = (typeof locales)[number];
export const defaultLocale: AppLocale = "en";
export const localeCookie = "NEXT_LOCALE";

export function isLocale(value: unknown): value is AppLocale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/**
 * Picks the best supported locale from an Accept-Language header ("de-CH,de;q=0.9,en;q=0.8").
 * Only the primary language subtag matters: we ship one variant per language.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): AppLocale {
  if (!acceptLanguage) return defaultLocale;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { lang: tag.trim().toLowerCase().split("-")[0] ?? "", q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) {
    if (isLocale(entry.lang)) return entry.lang;
  }
  return defaultLocale;
}

/** Cookie value first (an explicit choice in the language switch), then the browser's wish. */
export function resolveLocale(cookieValue: string | undefined, acceptLanguage: string | null): AppLocale {
  return isLocale(cookieValue) ? cookieValue : negotiateLocale(acceptLanguage);
}

/** Remembers the choice for a year; the server reads it for pages and API messages alike. */
export function storeLocaleChoice(locale: AppLocale): void {
  document.cookie = `${localeCookie}=${locale}; path=/; max-age=31536000; samesite=lax`;
}
