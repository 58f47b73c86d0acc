"use client";

import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { api } from "../api/client";
import { useErrorMessage } from "../api/use-error-message";
import { useSession } from "../session/session-provider";
import { Notice } from "../ui/notice";
import { PageHead } from "../ui/page-head";
import styles from "./billing.module.css";
import { BuyButton } from "./buy-button";
import { PackOffers, PlanOffers } from "./offers";
import { RecentEntries } from "./recent-entries";

export type BillingBody = {
  payments: { enabled: boolean };
  account: { balance: number; held: number; debt: number };
  subscription: {
    plan: string;
    status: string | null;
    renewsAt: string | null;
    endsAt: string | null;
    canManage: boolean;
  };
};

const statuses = ["active", "trialing", "past_due", "incomplete", "incomplete_expired", "canceled", "unpaid", "paused"];

/** Which Checkout outcome Stripe sent the browser back with (?checkout=success|canceled). */
function useCheckoutOutcome(): "success" | "canceled" | null {
  const search = useSyncExternalStore(
    () => () => undefined,
    () => window.location.search,
    () => "",
  );
  const value = new URLSearchParams(search).get("checkout");
  return value === "success" || value === "canceled" ? value : null;
}

export function BillingOverview() {
  const t = useTranslations("billing");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const locale = useLocale();
  const formatDate = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(iso));
  const session = useSession();
  const outcome = useCheckoutOutcome();
  const [billing, setBilling] = useState<BillingBody | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  const load = useCallback(
    () =>
      api<BillingBody>("/api/v1/billing", { cache: "no-store" }).then(
        (body) => {
          setBilling(body);
          setError(null);
        },
        (e: unknown) => setError(errorMessage(e)),
      ),
    [errorMessage],
  );

  useEffect(() => {
    let active = true;
    api<BillingBody>("/api/v1/billing", { cache: "no-store" })
      .then((body) => active && setBilling(body))
      .catch((e: unknown) => active && setError(errorMessage(e)));
    return () => {
      active = false;
    };
  }, [errorMessage]);

  // After Checkout the credits arrive with Stripe's webhook, a moment later: look again a few times.
  useEffect(() => {
    if (outcome !== "success") return;
    let rounds = 0;
    const timer = setInterval(() => {
      rounds += 1;
      void load();
      void session.refresh();
      setVersion((v) => v + 1);
      if (rounds >= 10) clearInterval(timer);
    }, 2000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per return from Checkout
  }, [outcome, load]);

  const sub = billing?.subscription;
  const planName = sub ? t(`planNames.${sub.plan}` as "planNames.free") : "";
  return (
    <div className="stack">
      <PageHead title={t("title")} lead={t("lead")}>
        {billing && (
          <dl className={styles.tiles}>
            <div className="tile">
              <dt>{t("balance")}</dt>
              <dd data-testid="billing-balance">{tc("credits", { count: billing.account.balance })}</dd>
            </div>
            <div className="tile">
              <dt>{t("held")}</dt>
              <dd>{tc("credits", { count: billing.account.held })}</dd>
            </div>
            {billing.account.debt > 0 && (
              <div className="tile">
                <dt>{t("debt")}</dt>
                <dd data-testid="billing-debt">{tc("credits", { count: billing.account.debt })}</dd>
              </div>
            )}
          </dl>
        )}
      </PageHead>
      {outcome === "success" && <Notice tone="success">{t("checkoutSuccess")}</Notice>}
      {outcome === "canceled" && <Notice tone="info">{t("checkoutCanceled")}</Notice>}
      {error && <Notice>{error}</Notice>}
      {billing && !billing.payments.enabled && <Notice tone="info">{t("paymentsOff")}</Notice>}
      {billing && billing.account.debt > 0 && <Notice>{t("debtNotice", { count: billing.account.debt })}</Notice>}
      {!billing && !error && <p className="muted">{tc("loading")}</p>}
      {billing && sub && (
        <>
          <section className={`card ${styles.planCard}`} aria-labelledby="plan-title" data-testid="billing-plan">
            <p className="muted small">{t("planTitle")}</p>
            <h2 id="plan-title">{planName}</h2>
            {sub.status && statuses.includes(sub.status) && (
              <p className={`pill ${styles.badge}`}>{t(`status.${sub.status}` as "status.active")}</p>
            )}
            <p className="muted">
              {sub.renewsAt
                ? t("renewsAt", { date: formatDate(sub.renewsAt) })
                : sub.endsAt
                  ? t("endsAt", { date: formatDate(sub.endsAt) })
                  : t("noSubscription")}
            </p>
            <div className={styles.actions}>
              {sub.canManage && (
                <div>
                  <BuyButton target="portal" label={t("manage")} secondary />
                </div>
              )}
              <Link href="/pricing" className="button button-secondary">
                {t("comparePlans")}
              </Link>
            </div>
            {sub.canManage && <p className="hint">{t("manageHint")}</p>}
          </section>
          <section className={styles.section} aria-labelledby="buy-title">
            <h2 id="buy-title">{t("buyTitle")}</h2>
            <PackOffers paymentsEnabled={billing.payments.enabled} />
          </section>
          <section className={styles.section} aria-labelledby="plans-title">
            <h2 id="plans-title">{t("plansTitle")}</h2>
            <PlanOffers
              paymentsEnabled={billing.payments.enabled}
              currentPlan={sub.plan}
              hasSubscription={sub.plan !== "free"}
            />
          </section>
        </>
      )}
      <section className={styles.section} aria-labelledby="statement-title">
        <h2 id="statement-title">{t("statementTitle")}</h2>
        <p className="muted">{t("statementLead")}</p>
        <RecentEntries key={version} />
        <p>
          <Link href="/statement">{t("statementAll")}</Link>
        </p>
      </section>
    </div>
  );
}
