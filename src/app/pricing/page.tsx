import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PackOffers, PlanOffers } from "@/components/billing/offers";
import styles from "@/components/billing/billing.module.css";
import { Notice } from "@/components/ui/notice";
import { PageHead } from "@/components/ui/page-head";
import { readPublicSettings } from "@/features/admin/server/public-settings";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("pricing") };
}

/** Public: plans and packs from catalog/pricing.ts; buying is off (and says why) without Stripe keys. */
export default async function PricingPage() {
  const t = await getTranslations("billing");
  const enabled = readPublicSettings().paymentsEnabled;
  return (
    <div className="container stack">
      <PageHead title={t("pricingTitle")} lead={t("pricingLead")} />
      {!enabled && <Notice tone="info">{t("paymentsOff")}</Notice>}
      <section className={styles.section} aria-labelledby="plans-title">
        <h2 id="plans-title">{t("plansTitle")}</h2>
        <PlanOffers paymentsEnabled={enabled} />
      </section>
      <section className={styles.section} aria-labelledby="packs-title">
        <h2 id="packs-title">{t("packsTitle")}</h2>
        <p className="muted">{t("packsLead")}</p>
        <PackOffers paymentsEnabled={enabled} />
      </section>
    </div>
  );
}
