"use client";

import { useTranslations } from "next-intl";
import type { Asset } from "../api/types";
import { ProgressBar } from "../ui/progress-bar";
import styles from "./batch.module.css";
import type { BatchStep, ImageRun } from "./run-batch";

type Props = {
  images: Asset[];
  /** Empty before the first run. */
  runs: Record<string, ImageRun>;
  steps: BatchStep[];
  removable: boolean;
  onRemove: (id: string) => void;
};

/** The batch's images; during and after a run each shows its step, progress and any error. */
export function BatchImages({ images, runs, steps, removable, onRemove }: Props) {
  const t = useTranslations("batch");
  if (images.length === 0) return null;
  return (
    <ul className={styles.images} data-testid="batch-images">
      {images.map((image) => {
        const run = runs[image.id];
        const name = image.name ?? t("fallbackName");
        const stepTitle = steps[run?.step ?? 0]?.generator.title ?? "";
        return (
          <li key={image.id} className={styles.image} data-testid="batch-image" data-status={run?.status ?? "idle"}>
            <div className={styles.imageThumb}>
              {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
              <img
                src={run?.output?.url ?? image.url}
                alt={run?.output ? t("outputAlt", { name }) : t("imageAlt", { name })}
                loading="lazy"
              />
            </div>
            <div className={styles.imageBody}>
              <p className={styles.imageName}>{name}</p>
              {run ? (
                <>
                  <p className="hint" role="status">
                    {run.status === "waiting" && t("status.waiting")}
                    {run.status === "running" &&
                      t("status.running", { step: run.step + 1, steps: steps.length, title: stepTitle })}
                    {run.status === "succeeded" && t("status.succeeded")}
                    {run.status === "failed" && t("status.failed", { step: run.step + 1, title: stepTitle })}
                  </p>
                  {(run.status === "running" || run.status === "waiting") && (
                    <ProgressBar value={run.progress} label={t("progressLabel", { name })} />
                  )}
                  {run.status === "failed" && (
                    <p className="field-error">
                      {run.error} {run.step + 1 < steps.length ? t("skipped") : ""} {t("refunded")}
                    </p>
                  )}
                </>
              ) : (
                <p className="hint">
                  {image.width ?? "?"} × {image.height ?? "?"} px
                </p>
              )}
            </div>
            {removable && (
              <button
                type="button"
                className="button button-small button-secondary"
                onClick={() => onRemove(image.id)}
                aria-label={t("removeImage", { name })}
              >
                {t("remove")}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
