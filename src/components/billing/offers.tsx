"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { packs, plans, starterCredits, type Plan } from "@/catalog/pricing";
import { useSession } from "../session/session-provider";
import { BuyButton } from "./buy-button";
import styles from "./billing.module.css";
import { useMoney } from "./use-money";

type Props = {
  paymentsEnabled: boolean;
  /** The signed-in account's plan, marked and not offered again. */
  currentPlan?: string;
  /** Whether the account has a plan to change in the portal instead of a new checkout. */
  hasSubscription?: boolean;
};

function useBuyState(paymentsEnabled: boolean) {
  const session = useSession();
  return { signedOut: session.status === "signed-out", disabled: !paymentsEnabled || session.status !== "signed-in" };
}

function PlanFeatures({ plan }: { plan: Plan }) {
  const t = useTranslations("billing");
  return (
    <ul className={styles.features}>
      <li>
        {plan.priceCents === 0
          ? t("signupCredits", { count: starterCredits })
          : plan.unlimited
            ? t("unlimited", { count: plan.monthlyCredits })
            : t("monthlyCredits", { count: plan.monthlyCredits })}
      </li>
      <li>{t("limits.maxSide", { max: plan.limits.maxSide })}</li>
      <li>{t("limits.concurrentJobs", { max: plan.limits.concurrentJobs })}</li>
      <li>{t("limits.retentionDays", { days: plan.limits.retentionDays })}</li>
    </ul>
  );
}

/** The monthly plans, each with what it grants, its limits and its price on the button. */
export function PlanOffers({ paymentsEnabled, currentPlan, hasSubscription = false }: Props) {
  const t = useTranslations("billing");
  const money = useMoney();
  const { signedOut, disabled } = useBuyState(paymentsEnabled);
  return (
    <ul className={styles.grid}>
      {plans.map((plan) => {
        const name = t(`planNames.${plan.id}`);
        const current = plan.id === (currentPlan ?? (signedOut ? undefined : "free"));
        return (
          <li
            key={plan.id}
            className={`card ${styles.offer} ${current ? styles.current : ""}`}
            data-testid={`plan-${plan.id}`}
          >
            <h3>{name}</h3>
            <p className={styles.price}>
              {plan.priceCents === 0 ? t("freePrice") : money(plan.priceCents)}
              {plan.priceCents > 0 && <span className={styles.per}> {t("perMonth")}</span>}
            </p>
            <PlanFeatures plan={plan} />
            <div className={styles.offerAction}>
              {current ? (
                <p className={`pill ${styles.badge}`}>{t("currentPlan")}</p>
              ) : plan.priceCents === 0 ? null : signedOut ? (
                <Link href="/sign-up" className="button button-secondary button-block">
                  {t("signUpToBuy")}
                </Link>
              ) : hasSubscription ? (
                <BuyButton
                  target="portal"
                  label={t("choosePlan", { plan: name, price: money(plan.priceCents) })}
                  disabled={disabled}
                  secondary
                />
              ) : (
                <BuyButton
                  target={{ kind: "plan", id: plan.id }}
                  label={t("choosePlan", { plan: name, price: money(plan.priceCents) })}
                  disabled={disabled}
                />
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** One-time credit packs, the price on every button. */
export function PackOffers({ paymentsEnabled }: Props) {
  const t = useTranslations("billing");
  const money = useMoney();
  const { signedOut, disabled } = useBuyState(paymentsEnabled);
  return (
    <ul className={styles.grid}>
      {packs.map((pack) => (
        <li key={pack.id} className={`card ${styles.offer}`} data-testid={`pack-${pack.id}`}>
          <h3>{t("packCredits", { count: pack.credits })}</h3>
          <p className={styles.price}>{money(pack.priceCents)}</p>
          <p className="muted small">{t("perCredit", { price: money(pack.priceCents / pack.credits, 3) })}</p>
          <div className={styles.offerAction}>
            {signedOut ? (
              <Link href="/sign-up" className="button button-secondary button-block">
                {t("signUpToBuy")}
              </Link>
            ) : (
              <BuyButton
                target={{ kind: "pack", id: pack.id }}
                label={t("buyPack", { count: pack.credits, price: money(pack.priceCents) })}
                disabled={disabled}
              />
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
