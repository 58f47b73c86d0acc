"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useState, type DragEvent } from "react";
import { api } from "../api/client";
import type { Asset } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { useFormatBytes } from "../ui/format";
import { Notice } from "../ui/notice";
import { ProgressBar } from "../ui/progress-bar";
import styles from "./dashboard.module.css";
import { uploadFile } from "./upload-file";

/** The server's default until /api/v1/limits answers; the server checks again in any case. */
const defaultMaxBytes = 25 * 1024 * 1024;

function useUploadMaxBytes(): number {
  const [maxBytes, setMaxBytes] = useState(defaultMaxBytes);
  useEffect(() => {
    let active = true;
    api<{ upload: { maxBytes: number } }>("/api/v1/limits")
      .then((body) => active && setMaxBytes(body.upload.maxBytes))
      .catch(() => undefined);
    return () => {
      active = false;
    };
  }, []);
  return maxBytes;
}

export function Uploader({ asset, onUploaded }: { asset: Asset | null; onUploaded: (asset: Asset) => void }) {
  const t = useTranslations("upload");
  const errorMessage = useErrorMessage();
  const formatBytes = useFormatBytes();
  const inputId = useId();
  const maxBytes = useUploadMaxBytes();
  const maxMegabytes = Math.round(maxBytes / 1024 / 1024);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  async function upload(file: File | undefined) {
    if (!file) return;
    if (file.size > maxBytes) return setError(t("tooLarge", { maxMegabytes }));
    setError(null);
    setProgress(0);
    try {
      onUploaded(await uploadFile(file, setProgress));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setProgress(null);
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    void upload(event.dataTransfer.files[0]);
  }

  const busy = progress !== null;
  return (
    <div className="stack">
      <div
        className={styles.dropzone}
        data-dragging={dragging || undefined}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        {asset && !busy && (
          // eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs; no optimizer
          <img
            src={asset.url}
            alt={t("previewAlt", { name: asset.name ?? "" })}
            className={styles.preview}
            style={asset.width && asset.height ? { aspectRatio: `${asset.width} / ${asset.height}` } : undefined}
            data-testid="upload-preview"
          />
        )}
        <label htmlFor={inputId} className={styles.dropText}>
          {asset && !busy ? (
            <span className={styles.chooseLabel}>{t("replace")}</span>
          ) : (
            <>
              {t("drop")} <span className={styles.chooseLabel}>{t("choose")}</span>
            </>
          )}
        </label>
        <input
          id={inputId}
          type="file"
          accept="image/jpeg,image/png,image/webp,image/avif,image/gif"
          className="visually-hidden"
          disabled={busy}
          onChange={(event) => {
            void upload(event.currentTarget.files?.[0]);
            event.currentTarget.value = "";
          }}
        />
        <p className="hint">{t("hint", { maxMegabytes })}</p>
      </div>
      {busy && (
        <div className="stack" role="status">
          <ProgressBar value={progress} label={t("progressLabel")} />
          <p className="hint">{t("uploading", { percent: progress })}</p>
        </div>
      )}
      {asset && !busy && (
        <p className="hint" data-testid="upload-details">
          {asset.name ? `${asset.name} · ` : ""}
          {t("details", { width: asset.width ?? "?", height: asset.height ?? "?", size: formatBytes(asset.bytes) })}
        </p>
      )}
      {error && <Notice>{error}</Notice>}
    </div>
  );
}
