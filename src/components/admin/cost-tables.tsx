"use client";

import { useLocale, useTranslations } from "next-intl";
import styles from "./admin.module.css";
import { useFormatMicros, useFormatPercent } from "./money";
import { useOptionalMessage } from "./optional-message";
import type { AdminJob, CostTotals } from "./types";

/** A generator's title in the user's language, or its id for generators outside the catalog. */
export function useGeneratorTitle(): (id: string) => string {
  const message = useOptionalMessage("generators");
  return (id: string) => message(`${id}.title`, id);
}

function Money({ micros, signed = false }: { micros: number; signed?: boolean }) {
  const formatMicros = useFormatMicros();
  const tone = signed ? (micros < 0 ? styles.negative : micros > 0 ? styles.positive : "") : "";
  return <span className={tone}>{formatMicros(micros)}</span>;
}

/** Totals per generator or per provider: jobs, credits, revenue, provider cost, margin, latency, failures. */
type CostTableProps = {
  title: string;
  rows: (CostTotals & { key: string })[];
  labelOf: (key: string) => string;
  testId: "costs-by-generator" | "costs-by-provider";
};

export function CostTable({ title, rows, labelOf, testId }: CostTableProps) {
  const t = useTranslations("adminJobs");
  const locale = useLocale();
  const formatPercent = useFormatPercent();
  const count = new Intl.NumberFormat(locale);
  const keyColumn = testId === "costs-by-provider" ? t("columns.provider") : t("columns.generator");
  return (
    <section className="card" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <h2 id={`${testId}-title`}>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{keyColumn}</th>
                <th scope="col" className={styles.number}>
                  {t("columns.jobs")}
                </th>
                <th scope="col" className={styles.number}>
                  {t("columns.credits")}
                </th>
                <th scope="col" className={styles.number}>
                  {t("columns.revenue")}
                </th>
                <th scope="col" className={styles.number}>
                  {t("columns.cost")}
                </th>
                <th scope="col" className={styles.number}>
                  {t("columns.margin")}
                </th>
                <th scope="col" className={styles.number}>
                  {t("columns.latency")}
                </th>
                <th scope="col" className={styles.number}>
                  {t("columns.failureRate")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-key={row.key}>
                  <th scope="row" data-label={keyColumn}>
                    {labelOf(row.key)}
                  </th>
                  <td data-label={t("columns.jobs")} className={styles.number}>
                    {count.format(row.jobs)}
                  </td>
                  <td data-label={t("columns.credits")} className={styles.number}>
                    {count.format(row.credits)}
                  </td>
                  <td data-label={t("columns.revenue")} className={styles.number} data-testid="revenue">
                    <Money micros={row.revenueMicros} />
                  </td>
                  <td data-label={t("columns.cost")} className={styles.number} data-testid="cost">
                    <Money micros={row.providerCostMicros} />
                  </td>
                  <td data-label={t("columns.margin")} className={styles.number} data-testid="margin">
                    <Money micros={row.marginMicros} signed />
                  </td>
                  <td data-label={t("columns.latency")} className={styles.number}>
                    {row.avgLatencyMs === null ? t("none") : t("ms", { value: count.format(row.avgLatencyMs) })}
                  </td>
                  <td data-label={t("columns.failureRate")} className={styles.number}>
                    {row.failureRate === null ? t("none") : formatPercent(row.failureRate)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Recent jobs of every account with what each earned and cost. */
export function JobTable({ jobs, formatDateTime }: { jobs: AdminJob[]; formatDateTime: (iso: string) => string }) {
  const t = useTranslations("adminJobs");
  const ts = useTranslations("jobs.status");
  const locale = useLocale();
  const count = new Intl.NumberFormat(locale);
  const generatorTitle = useGeneratorTitle();
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">{t("columns.job")}</th>
            <th scope="col">{t("columns.status")}</th>
            <th scope="col">{t("columns.provider")}</th>
            <th scope="col" className={styles.number}>
              {t("columns.price")}
            </th>
            <th scope="col" className={styles.number}>
              {t("columns.revenue")}
            </th>
            <th scope="col" className={styles.number}>
              {t("columns.cost")}
            </th>
            <th scope="col" className={styles.number}>
              {t("columns.margin")}
            </th>
            <th scope="col" className={styles.number}>
              {t("columns.jobLatency")}
            </th>
            <th scope="col" className={styles.number}>
              {t("columns.calls")}
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id} data-testid="admin-job" data-job={job.id}>
              <th scope="row" data-label={t("columns.job")}>
                {generatorTitle(job.generator)}
                <span className={styles.detail}>{formatDateTime(job.createdAt)}</span>
              </th>
              <td data-label={t("columns.status")}>{ts(job.status)}</td>
              <td data-label={t("columns.provider")}>
                {job.provider ?? t("none")}
                {job.model && <span className={styles.detail}>{job.model}</span>}
              </td>
              <td data-label={t("columns.price")} className={styles.number}>
                {count.format(job.price)}
              </td>
              <td data-label={t("columns.revenue")} className={styles.number}>
                <Money micros={job.revenueMicros} />
              </td>
              <td data-label={t("columns.cost")} className={styles.number}>
                <Money micros={job.providerCostMicros} />
              </td>
              <td data-label={t("columns.margin")} className={styles.number}>
                <Money micros={job.marginMicros} signed />
              </td>
              <td data-label={t("columns.jobLatency")} className={styles.number}>
                {job.latencyMs === null ? t("none") : t("ms", { value: count.format(job.latencyMs) })}
              </td>
              <td data-label={t("columns.calls")} className={styles.number}>
                {count.format(job.providerCalls)}
                {job.failedCalls > 0 && (
                  <span className={styles.detail}>{t("failedCalls", { count: job.failedCalls })}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
