"use client";

import { useTranslations } from "next-intl";
import { isTerminal, type Job } from "../api/types";
import { JobCard } from "../dashboard/job-card";
import { ResultFacts } from "../studio/result-facts";
import { downloadUrl } from "../ui/format";
import { isImage, isVideo } from "../ui/media";
import styles from "./generators.module.css";

type Props = {
  job: Job;
  title: string;
  onUpdate: (job: Job) => void;
  /** Shown while the job runs (a video: "this takes minutes, you may close the page"). */
  runningNote?: string;
};

/**
 * One run on a generator's page: the job card (live progress, images with their download
 * buttons), the facts the tools reported, and for documents (a calendar) a download button for
 * the file and its pages as thumbnails.
 */
export function GeneratorResult({ job, title, onUpdate, runningNote }: Props) {
  const t = useTranslations("generatorPages");
  const documents = job.outputs.filter((output) => !isImage(output.mime) && !isVideo(output.mime));
  const images = job.outputs.filter((output) => isImage(output.mime) || isVideo(output.mime));
  // Beside a document the images are its pages: thumbnails, not full-size results.
  const pages = documents.length > 0 ? images : [];
  const shown = { ...job, outputs: documents.length > 0 ? [] : images };
  const done = job.status === "succeeded";

  return (
    <li className={styles.result} data-testid="generator-result" data-status={job.status}>
      <ul>
        <JobCard job={shown} title={title} onUpdate={onUpdate} />
      </ul>
      {runningNote && !isTerminal(job.status) && (
        <p className="hint" data-testid="running-note">
          {runningNote}
        </p>
      )}
      {done && (
        <div className={styles.extras}>
          <ResultFacts result={job.result} />
          {documents.map((output) => (
            <a
              key={output.assetId}
              href={downloadUrl(output.url)}
              className="button"
              download
              data-testid="document-download"
            >
              {output.mime === "application/pdf"
                ? t("downloadPdf")
                : t("downloadFile", { format: (output.mime.split("/")[1] ?? "").toUpperCase() })}
            </a>
          ))}
          {pages.length > 0 && (
            <section className="stack" aria-label={t("pages")}>
              <h3>{t("pages")}</h3>
              <ol className={styles.pages} data-testid="result-pages">
                {pages.map((output, index) => (
                  <li key={output.assetId}>
                    <figure className={styles.page}>
                      <a href={downloadUrl(output.url)} download title={t("downloadPage", { number: index + 1 })}>
                        {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
                        <img
                          src={output.url}
                          alt={t("pageAlt", { number: index + 1 })}
                          loading="lazy"
                          style={
                            output.width && output.height
                              ? { aspectRatio: `${output.width} / ${output.height}` }
                              : undefined
                          }
                        />
                      </a>
                      <figcaption>{t("page", { number: index + 1 })}</figcaption>
                    </figure>
                  </li>
                ))}
              </ol>
            </section>
          )}
        </div>
      )}
    </li>
  );
}
