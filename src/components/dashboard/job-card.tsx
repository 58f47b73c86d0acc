"use client";

import { useTranslations } from "next-intl";
import { isTerminal, type Job } from "../api/types";
import { downloadUrl, useFormatBytes, useFormatDateTime } from "../ui/format";
import { Notice } from "../ui/notice";
import { ProgressBar } from "../ui/progress-bar";
import styles from "./dashboard.module.css";
import { useJobUpdates } from "./use-job-updates";

type Props = { job: Job; title: string; onUpdate: (job: Job) => void };

export function JobCard({ job, title, onUpdate }: Props) {
  const t = useTranslations("jobs");
  const tc = useTranslations("common");
  const formatBytes = useFormatBytes();
  const formatDateTime = useFormatDateTime();
  const { fallback } = useJobUpdates(job, onUpdate);
  const active = !isTerminal(job.status);

  return (
    <li className={`card ${styles.job}`} data-testid="job" data-status={job.status}>
      <div className={styles.jobHead}>
        <div>
          <h3 className={styles.jobTitle}>{title}</h3>
          <p className="hint">
            {formatDateTime(job.createdAt)} · {t("price", { price: job.price })}
          </p>
        </div>
        <span className={styles.status} data-status={job.status} role="status" data-testid="job-status">
          {t(`status.${job.status}`)}
        </span>
      </div>
      {active && (
        <div className={styles.jobProgress}>
          <ProgressBar value={job.progress} label={t("progressLabel")} />
          <span className="hint">{t("progress", { progress: job.progress })}</span>
        </div>
      )}
      {fallback && <p className="hint">{t("reconnecting")}</p>}
      {job.status === "failed" && job.error && <Notice>{job.error.message}</Notice>}
      {job.outputs.map((output) => (
        <figure key={output.assetId} className={styles.output}>
          <a href={output.url} target="_blank" rel="noreferrer" className={styles.outputImage}>
            {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
            <img
              src={output.url}
              alt={t("outputAlt", { id: job.id.slice(0, 8) })}
              loading="lazy"
              style={output.width && output.height ? { aspectRatio: `${output.width} / ${output.height}` } : undefined}
            />
          </a>
          <figcaption className={styles.outputCaption}>
            <span className="hint">
              {t("details", {
                width: output.width ?? "?",
                height: output.height ?? "?",
                size: formatBytes(output.bytes),
              })}
            </span>
            <a href={downloadUrl(output.url)} className="button button-small" download>
              {tc("download")}
            </a>
          </figcaption>
        </figure>
      ))}
    </li>
  );
}
