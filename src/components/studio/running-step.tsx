"use client";

import { useTranslations } from "next-intl";
import type { Job } from "../api/types";
import { CancelJobButton } from "../dashboard/cancel-job-button";
import { useJobUpdates } from "../dashboard/use-job-updates";
import { ProgressBar } from "../ui/progress-bar";
import styles from "./studio.module.css";

/** A step on its way: live progress over SSE, polling when the stream breaks; it can be canceled. */
export function RunningStep({ job, title, onUpdate }: { job: Job; title: string; onUpdate: (job: Job) => void }) {
  const t = useTranslations("studio");
  const tj = useTranslations("jobs");
  const { fallback } = useJobUpdates(job, onUpdate);
  return (
    <div className={styles.running} role="status" data-testid="running-step" data-status={job.status}>
      <p className={styles.runningTitle}>
        {t("running", { title })} <span className="hint">{tj(`status.${job.status}`)}</span>
      </p>
      <div className={styles.runningBar}>
        <ProgressBar value={job.progress} label={tj("progressLabel")} />
        <span className="hint">{tj("progress", { progress: job.progress })}</span>
      </div>
      {fallback && <p className="hint">{tj("reconnecting")}</p>}
      <CancelJobButton job={job} onUpdate={onUpdate} />
    </div>
  );
}
