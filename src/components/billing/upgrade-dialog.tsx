"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { packs, plans, type Plan } from "@/catalog/pricing";
import { api, ApiError } from "../api/client";
import { Notice } from "../ui/notice";
import type { BillingBody } from "./billing-overview";
import styles from "./billing.module.css";
import { BuyButton } from "./buy-button";
import { useMoney } from "./use-money";

/** A job refused for credits (402: too few, or debt) or for the plan's limits (403). */
export function isUpgradeError(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    (error.status === 402 || (error.status === 403 && error.code === "plan_limit_exceeded"))
  );
}

/** Whether a plan lifts the limit a 403 named (its params: limit, requested); true for any other refusal. */
function lifts(plan: Plan, params: Record<string, string | number>): boolean {
  const requested = Number(params.requested);
  if (!Number.isFinite(requested)) return true;
  if (params.limit === "maxSide") return plan.limits.maxSide >= requested;
  if (params.limit === "concurrentJobs") return plan.limits.concurrentJobs >= requested;
  return true;
}

/**
 * Says what is missing (the server's message, in the user's language) and what each way out
 * costs: packs when credits are short, plans when a limit was hit, each price on its button.
 */
export function UpgradeDialog({ error, onClose }: { error: ApiError | null; onClose: () => void }) {
  const t = useTranslations("billing");
  const money = useMoney();
  const dialog = useRef<HTMLDialogElement>(null);
  const [billing, setBilling] = useState<BillingBody | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!error || !element) return;
    if (!element.open) element.showModal();
    let active = true;
    api<BillingBody>("/api/v1/billing", { cache: "no-store" })
      .then((body) => active && setBilling(body))
      .catch(() => active && setBilling(null));
    return () => {
      active = false;
    };
  }, [error]);

  const enabled = billing?.payments.enabled ?? false;
  const current = billing?.subscription.plan ?? "free";
  const currentIndex = plans.findIndex((plan) => plan.id === current);
  const creditsShort = error?.status === 402;
  // A plan limit (403): only the plans that lift it, or a plain word when none does.
  const limitHit = error?.status === 403 ? error.params : undefined;
  const betterPlans = plans.filter(
    (plan, index) => index > currentIndex && plan.priceCents > 0 && (!limitHit || lifts(plan, limitHit)),
  );
  const largest = plans.at(-1)!;

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      onClose={onClose}
      aria-labelledby="upgrade-title"
      data-testid="upgrade-dialog"
    >
      {error && (
        <div className={styles.dialogBody}>
          <h2 id="upgrade-title">{t("upgrade.title")}</h2>
          <Notice>{error.message}</Notice>
          {billing && !enabled && <Notice tone="info">{t("paymentsOff")}</Notice>}
          {creditsShort && (
            <>
              <h3>{t("upgrade.packsTitle")}</h3>
              <ul className={styles.optionList}>
                {packs.map((pack) => (
                  <li key={pack.id}>
                    <BuyButton
                      target={{ kind: "pack", id: pack.id }}
                      label={t("buyPack", { count: pack.credits, price: money(pack.priceCents) })}
                      disabled={!enabled}
                    />
                  </li>
                ))}
              </ul>
            </>
          )}
          {limitHit?.limit === "maxSide" && betterPlans.length === 0 && (
            <p className="hint" data-testid="no-plan-lifts">
              {t("upgrade.noPlanLifts", { max: largest.limits.maxSide })}
            </p>
          )}
          {betterPlans.length > 0 && (
            <>
              <h3>{limitHit ? t("upgrade.limitPlansTitle") : t("upgrade.plansTitle")}</h3>
              <ul className={styles.optionList}>
                {betterPlans.map((plan) => {
                  const label = t("choosePlan", { plan: t(`planNames.${plan.id}`), price: money(plan.priceCents) });
                  return (
                    <li key={plan.id}>
                      {current === "free" ? (
                        <BuyButton target={{ kind: "plan", id: plan.id }} label={label} disabled={!enabled} secondary />
                      ) : (
                        <BuyButton target="portal" label={label} disabled={!enabled} secondary />
                      )}
                      <p className="hint">
                        {plan.unlimited
                          ? t("unlimited", { count: plan.monthlyCredits })
                          : t("monthlyCredits", { count: plan.monthlyCredits })}
                        {" · "}
                        {t("limits.maxSide", { max: plan.limits.maxSide })}
                        {" · "}
                        {t("limits.concurrentJobs", { max: plan.limits.concurrentJobs })}
                      </p>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          <div className={styles.actions}>
            <Link href="/pricing">{t("upgrade.allPlans")}</Link>
          </div>
          <button
            type="button"
            className="button button-secondary button-block"
            onClick={() => dialog.current?.close()}
          >
            {t("upgrade.close")}
          </button>
        </div>
      )}
    </dialog>
  );
}
