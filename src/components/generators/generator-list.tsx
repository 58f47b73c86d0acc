"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { hasVariablePrice, lowestPrice } from "../dashboard/pricing";
import { Notice } from "../ui/notice";
import { PageHead } from "../ui/page-head";
import styles from "./generators.module.css";
import { useSpecialisedGenerators } from "./use-generators";

/** /generators: one card per specialised generator, each opening its own page. */
export function GeneratorList() {
  const t = useTranslations("generatorPages");
  const tc = useTranslations("common");
  const { generators, error } = useSpecialisedGenerators();

  return (
    <div className="stack">
      <PageHead title={t("title")} lead={t("lead")} />
      {error && <Notice>{error}</Notice>}
      {generators === null ? (
        <p className="muted">{tc("loading")}</p>
      ) : generators.length === 0 ? (
        !error && <p className="muted">{t("empty")}</p>
      ) : (
        <ul className={styles.cards}>
          {generators.map((generator) => (
            <li key={generator.id}>
              <Link
                href={`/generators/${encodeURIComponent(generator.id)}`}
                className={`card ${styles.cardLink}`}
                data-testid="generator-card"
                data-generator={generator.id}
                data-available={generator.available}
              >
                <h2>{generator.title}</h2>
                <p className="muted">{generator.description}</p>
                {!generator.available && <span className={`pill ${styles.unavailable}`}>{t("needsProvider")}</span>}
                <span className={styles.cardFoot}>
                  <span className={`pill ${styles.price}`}>
                    {hasVariablePrice(generator)
                      ? t("priceFrom", { price: lowestPrice(generator) })
                      : t("price", { price: generator.price })}
                  </span>
                  <span className={styles.openLabel} aria-hidden="true">
                    {t("open")} →
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
