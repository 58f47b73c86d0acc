import "server-only";
import { createTranslator } from "use-intl/core";
import en from "@/messages/en.json";
import de from "@/messages/de.json";

export const locales = ["en", "de"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

const catalogs = { en, de } as const;
type Messages = typeof en;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** Cookie (the language switch) wins over Accept-Language; English otherwise. */
export function negotiateLocale(cookieLocale: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookieLocale)) return cookieLocale;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { lang: tag.toLowerCase().split("-")[0] ?? "", q: q ? Number(q.split("=")[1]) : 1 };
    })
    .filter((entry) => entry.lang && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.lang).find(isLocale) ?? defaultLocale;
}

/** Whether a message key exists, e.g. for error codes coming from tools. */
export function hasMessage(locale: Locale, key: string): boolean {
  let node: unknown = catalogs[locale];
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string";
}

const translators = new Map<Locale, ReturnType<typeof createTranslator<Messages>>>();

/** Server-side translation of one message key, e.g. t("de", "errors.not_found"). */
export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  let translator = translators.get(locale);
  if (!translator) {
    translator = createTranslator({ locale, messages: catalogs[locale] as Messages });
    translators.set(locale, translator);
  }
  return (translator as unknown as (k: string, p: Record<string, string | number>) => string)(key, params);
}
