"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { api, startJob } from "../api/client";
import type { Asset, Generator, Job } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { waitForJobEnd } from "../dashboard/use-job-updates";
import { downloadUrl } from "../ui/format";
import { Notice } from "../ui/notice";
import { ProgressBar } from "../ui/progress-bar";
import styles from "./studio.module.css";
import {
  downloadFormats,
  findConverter,
  formatOfMime,
  triggerDownload,
  type DownloadFormat,
  type Picture,
} from "./tools";

type Props = {
  picture: Picture;
  generators: Generator[];
  /** No converting while a step runs. */
  locked: boolean;
  /** A conversion was charged: refresh the balance. */
  onCharged: () => void;
};

const formatLabels: Record<DownloadFormat, string> = { png: "PNG", webp: "WebP", jpeg: "JPEG" };

/** A fresh signed URL: the one we have may have expired while the page stayed open. */
async function freshUrl(assetId: string): Promise<string> {
  return (await api<{ asset: Asset }>(`/api/v1/assets/${encodeURIComponent(assetId)}`, { cache: "no-store" })).asset
    .url;
}

/**
 * Download the current image as PNG, WebP or JPEG. Another format than the image's own is made by
 * the converting generator (a job, priced on the button), once per image and format.
 */
export function DownloadPanel({ picture, generators, locked, onCharged }: Props) {
  const t = useTranslations("studio");
  const errorMessage = useErrorMessage();
  const name = useId();
  const current = formatOfMime(picture.mime);
  const [chosen, setChosen] = useState<DownloadFormat | null>(null);
  const [converted, setConverted] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const wanted: DownloadFormat = chosen ?? downloadFormats.find((f) => f === current) ?? "png";
  const cacheKey = `${picture.assetId}:${wanted}`;
  const converter = wanted === current || converted[cacheKey] ? null : findConverter(generators, wanted);
  const unavailable = wanted !== current && !converted[cacheKey] && !converter;

  async function download() {
    setError(null);
    try {
      const ready = wanted === current || unavailable ? picture.assetId : converted[cacheKey];
      if (ready) return triggerDownload(downloadUrl(await freshUrl(ready)));
      if (!converter) return;
      setProgress(0);
      const job = await waitForJobEnd(
        await startJob(converter.generator.id, { image: picture.assetId, [converter.field]: wanted }),
        (next: Job) => setProgress(next.progress),
      );
      onCharged();
      const output = job.outputs[0];
      if (job.status !== "succeeded" || !output) {
        setError(job.error?.message ?? t("convertFailed"));
        return;
      }
      setConverted((all) => ({ ...all, [cacheKey]: output.assetId }));
      triggerDownload(downloadUrl(output.url));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setProgress(null);
    }
  }

  const busy = progress !== null;
  const label = unavailable
    ? t("downloadCurrent", { format: current.toUpperCase() })
    : converter
      ? t("convertAndDownload", { format: formatLabels[wanted], price: converter.generator.price })
      : t("downloadAs", { format: formatLabels[wanted] });

  return (
    <section className={styles.download} aria-labelledby={`${name}-heading`}>
      <h2 id={`${name}-heading`} className={styles.subheading}>
        {t("download")}
      </h2>
      <fieldset className={styles.formats} disabled={busy}>
        <legend className="visually-hidden">{t("downloadFormat")}</legend>
        {downloadFormats.map((format) => (
          <label key={format} className={styles.format}>
            <input
              type="radio"
              name={name}
              value={format}
              checked={wanted === format}
              onChange={() => setChosen(format)}
            />
            <span>
              {formatLabels[format]}
              {format === current && <span className="hint"> · {t("currentFormat")}</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {unavailable && <p className="hint">{t("convertUnavailable")}</p>}
      {busy && (
        <div className={styles.runningBar} role="status">
          <ProgressBar value={progress} label={t("converting")} />
          <span className="hint">{t("converting")}</span>
        </div>
      )}
      {error && <Notice>{error}</Notice>}
      <button
        type="button"
        className="button"
        onClick={() => void download()}
        disabled={busy || (locked && !!converter)}
      >
        {label}
      </button>
    </section>
  );
}
