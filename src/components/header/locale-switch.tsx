"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { locales, storeLocaleChoice, type AppLocale } from "@/i18n/locale";
import styles from "./site-header.module.css";

/** EN/DE toggle: stores the choice in the cookie the server (pages and API) reads, then re-renders. */
export function LocaleSwitch() {
  const t = useTranslations("nav");
  const current = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function choose(locale: AppLocale) {
    if (locale === current) return;
    storeLocaleChoice(locale);
    startTransition(() => router.refresh());
  }

  return (
    <div className={styles.locales} role="group" aria-label={t("language")} aria-busy={pending}>
      {locales.map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          className={styles.locale}
          aria-pressed={locale === current}
          aria-label={t(`languages.${locale}`)}
          onClick={() => choose(locale)}
        >
          {locale.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
