"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { usePaged } from "../api/use-paged";
import { useErrorMessage } from "../api/use-error-message";
import { useFormatDateTime } from "../ui/format";
import { PageHead } from "../ui/page-head";
import { PagedStatus } from "../ui/paged-status";
import styles from "./admin.module.css";
import { AdminNav } from "./admin-nav";
import { CostTable, JobTable, useGeneratorTitle } from "./cost-tables";
import { useFormatMicros } from "./money";
import type { AdminJob, CostSummary } from "./types";

const periods = [7, 30, 90] as const;

/** /admin/jobs: totals per generator and provider over a period, then every recent job. */
export function JobMargins() {
  const t = useTranslations("adminJobs");
  const errorMessage = useErrorMessage();
  const formatMicros = useFormatMicros();
  const formatDateTime = useFormatDateTime();
  const generatorTitle = useGeneratorTitle();
  const [days, setDays] = useState<number>(30);
  const [summary, setSummary] = useState<CostSummary | null>(null);
  const [summaryError, setSummaryError] = useState<string | null>(null);
  const recent = usePaged<{ jobs: AdminJob[]; nextCursor: string | null }, AdminJob>(
    "/api/v1/admin/jobs?limit=25",
    (body) => ({
      items: body.jobs,
      nextCursor: body.nextCursor,
      extra: undefined,
    }),
  );

  useEffect(() => {
    let active = true;
    api<CostSummary>(`/api/v1/admin/costs?days=${days}`, { cache: "no-store" })
      .then((answer) => {
        if (!active) return;
        setSummary(answer);
        setSummaryError(null);
      })
      .catch((error: unknown) => active && setSummaryError(errorMessage(error)));
    return () => {
      active = false;
    };
  }, [days, errorMessage]);

  const totals = summary?.totals;
  return (
    <div className="stack">
      <AdminNav />
      <PageHead title={t("title")} lead={t("lead", { value: formatMicros(summary?.creditValueMicros ?? 0) })}>
        <div className="field">
          <label htmlFor="cost-period">{t("period")}</label>
          <select
            id="cost-period"
            className="input"
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
          >
            {periods.map((value) => (
              <option key={value} value={value}>
                {t("days", { days: value })}
              </option>
            ))}
          </select>
        </div>
      </PageHead>
      <PagedStatus error={summaryError} loading={summary === null && !summaryError} />
      {totals && (
        <section aria-labelledby="cost-totals-title">
          <h2 id="cost-totals-title" className="visually-hidden">
            {t("totals")}
          </h2>
          <dl className={styles.tiles} data-testid="cost-totals">
            <div className="tile">
              <dt>{t("columns.jobs")}</dt>
              <dd data-testid="total-jobs">{totals.jobs}</dd>
            </div>
            <div className="tile">
              <dt>{t("columns.revenue")}</dt>
              <dd data-testid="total-revenue">{formatMicros(totals.revenueMicros)}</dd>
            </div>
            <div className="tile">
              <dt>{t("columns.cost")}</dt>
              <dd data-testid="total-cost">{formatMicros(totals.providerCostMicros)}</dd>
            </div>
            <div className="tile">
              <dt>{t("columns.margin")}</dt>
              <dd data-testid="total-margin">{formatMicros(totals.marginMicros)}</dd>
            </div>
          </dl>
        </section>
      )}
      {summary && (
        <>
          <CostTable
            title={t("byGenerator")}
            testId="costs-by-generator"
            rows={summary.byGenerator.map(({ generator, ...row }) => ({ key: generator, ...row }))}
            labelOf={generatorTitle}
          />
          <CostTable
            title={t("byProvider")}
            testId="costs-by-provider"
            rows={summary.byProvider.map(({ provider, ...row }) => ({ key: provider, ...row }))}
            labelOf={(id) => id}
          />
        </>
      )}
      <section className="card" aria-labelledby="recent-jobs-title">
        <h2 id="recent-jobs-title">{t("recent")}</h2>
        {recent.items?.length === 0 && <p className="muted">{t("noJobs")}</p>}
        {recent.items && recent.items.length > 0 && <JobTable jobs={recent.items} formatDateTime={formatDateTime} />}
        <PagedStatus error={recent.error} loading={recent.loading} hasMore={recent.hasMore} onMore={recent.loadMore} />
      </section>
    </div>
  );
}
