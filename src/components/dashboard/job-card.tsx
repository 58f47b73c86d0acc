"use client";

import { useTranslations } from "next-intl";
import { isTerminal, type Job, type JobOutput } from "../api/types";
import { useFormatDateTime } from "../ui/format";
import { MediaFacts, OpenableMedia } from "../ui/media";
import { Notice } from "../ui/notice";
import { ProgressBar } from "../ui/progress-bar";
import { CancelJobButton } from "./cancel-job-button";
import styles from "./dashboard.module.css";
import { useJobUpdates } from "./use-job-updates";

type Props = { job: Job; title: string; onUpdate: (job: Job) => void };

/** Errors whose message already says that nothing was charged. */
const saysNotCharged = new Set(["content_blocked", "provider_rejected", "provider_unavailable"]);

export function JobCard({ job, title, onUpdate }: Props) {
  const t = useTranslations("jobs");
  const { fallback } = useJobUpdates(job, onUpdate);
  const active = !isTerminal(job.status);
  const ended = job.status === "failed" || job.status === "canceled";

  return (
    <li className={`card ${styles.job}`} data-testid="job" data-status={job.status} data-generator={job.generator}>
      <JobHead job={job} title={title} />
      {active && (
        <div className={styles.jobProgress}>
          <ProgressBar value={job.progress} label={t("progressLabel")} />
          <span className="hint">{t("progress", { progress: job.progress })}</span>
        </div>
      )}
      {fallback && <p className="hint">{t("reconnecting")}</p>}
      {job.status === "failed" && job.error && <Notice>{job.error.message}</Notice>}
      {ended && !saysNotCharged.has(job.error?.code ?? "") && (
        <p className="hint" data-testid="not-charged">
          {t("notCharged")}
        </p>
      )}
      {active && <CancelJobButton job={job} onUpdate={onUpdate} />}
      {job.outputs.length > 0 && (
        <div className={job.outputs.length > 1 ? styles.outputs : undefined} data-testid="job-outputs">
          {job.outputs.map((output, index) => (
            <OutputFigure
              key={output.assetId}
              output={output}
              alt={t("outputAlt", { id: `${job.id.slice(0, 8)}${job.outputs.length > 1 ? `-${index + 1}` : ""}` })}
            />
          ))}
        </div>
      )}
    </li>
  );
}

function JobHead({ job, title }: { job: Job; title: string }) {
  const t = useTranslations("jobs");
  const formatDateTime = useFormatDateTime();
  return (
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
  );
}

/** One output with its size and a download button; images open full size, videos play in place. */
function OutputFigure({ output, alt }: { output: JobOutput; alt: string }) {
  return (
    <figure className={styles.output} data-testid="job-output" data-mime={output.mime}>
      <OpenableMedia
        url={output.url}
        mime={output.mime}
        alt={alt}
        width={output.width}
        height={output.height}
        linkClassName={styles.outputImage}
        videoClassName={styles.outputVideo}
      />
      <figcaption className={styles.outputCaption}>
        <MediaFacts url={output.url} width={output.width} height={output.height} bytes={output.bytes} />
      </figcaption>
    </figure>
  );
}
