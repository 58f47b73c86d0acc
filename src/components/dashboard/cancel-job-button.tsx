"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { cancelJob } from "../api/client";
import type { Job } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { Notice } from "../ui/notice";
import styles from "./dashboard.module.css";

/** Stops a queued or running job (its held credits come back); the canceled job goes to onUpdate. */
export function CancelJobButton({ job, onUpdate }: { job: Pick<Job, "id">; onUpdate: (job: Job) => void }) {
  const t = useTranslations("jobs");
  const errorMessage = useErrorMessage();
  const [canceling, setCanceling] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function cancel() {
    setCanceling(true);
    setError(null);
    try {
      onUpdate(await cancelJob(job.id));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setCanceling(false);
    }
  }

  return (
    <div className={styles.jobFoot}>
      {error ? <Notice>{error}</Notice> : <span />}
      <button
        type="button"
        className="button button-small button-secondary"
        onClick={() => void cancel()}
        disabled={canceling}
      >
        {canceling ? t("canceling") : t("cancel")}
      </button>
    </div>
  );
}
