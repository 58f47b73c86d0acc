"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type DragEvent } from "react";
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

export function useUploadMaxBytes(): number {
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

/** One file on its way up: its progress, or why it did not make it. */
type Upload = { key: number; name: string; progress: number | null; error: string | null };

type Props = {
  asset: Asset | null;
  onUploaded: (asset: Asset) => void;
  /** Several files at once (the studio, batch mode): one progress bar per file, no preview. */
  multiple?: boolean;
  /**
   * True from the moment a file is chosen until it is stored (or failed): the page must not run
   * a job meanwhile, since the image it shows is not the one the user just chose. Called from the
   * event handlers, not an effect, so no click can fall between the choice and the lock.
   */
  onBusyChange?: (busy: boolean) => void;
};

/** Uploads one browser sends at once; below the server's per-account bound. */
const UPLOADS_AT_ONCE = 2;

export function Uploader({ asset, onUploaded, multiple = false, onBusyChange }: Props) {
  const t = useTranslations("upload");
  const errorMessage = useErrorMessage();
  const formatBytes = useFormatBytes();
  const inputId = useId();
  const maxBytes = useUploadMaxBytes();
  const maxMegabytes = Math.round(maxBytes / 1024 / 1024);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const nextKey = useRef(0);
  const inFlight = useRef(0);

  const track = (delta: number) => {
    inFlight.current += delta;
    onBusyChange?.(inFlight.current > 0);
  };

  const change = (key: number, patch: Partial<Upload>) =>
    setUploads((current) => current.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  async function uploadOne(file: File, key: number) {
    try {
      if (file.size > maxBytes) return change(key, { progress: null, error: t("tooLarge", { maxMegabytes }) });
      const uploaded = await uploadFile(file, (progress) => change(key, { progress }));
      setUploads((current) => current.filter((u) => u.key !== key));
      // The new image first, then the unlock: both land in one render.
      onUploaded(uploaded);
    } catch (e) {
      change(key, { progress: null, error: errorMessage(e) });
    } finally {
      track(-1);
    }
  }

  function upload(files: File[]) {
    if (files.length === 0) return;
    const started = files.map((file) => ({ file, key: nextKey.current++ }));
    // Finished files leave the list; a new choice also clears the errors of the last one.
    setUploads((current) => [
      ...current.filter((u) => u.progress !== null),
      ...started.map(({ file, key }) => ({ key, name: file.name, progress: 0, error: null })),
    ]);
    track(started.length);
    // A few at a time: the server takes only a few uploads per account at once (429 beyond).
    const waiting = [...started];
    const lane = async () => {
      for (let next = waiting.shift(); next; next = waiting.shift()) await uploadOne(next.file, next.key);
    };
    for (let i = 0; i < Math.min(UPLOADS_AT_ONCE, waiting.length); i++) void lane();
  }

  function pick(list: FileList | null | undefined): File[] {
    const files = [...(list ?? [])];
    return multiple ? files : files.slice(0, 1);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    upload(pick(event.dataTransfer.files));
  }

  const running = uploads.filter((u) => u.progress !== null);
  const failed = uploads.filter((u) => u.error !== null);
  const busy = !multiple && running.length > 0;
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
            data-asset-id={asset.id}
            style={asset.width && asset.height ? { aspectRatio: `${asset.width} / ${asset.height}` } : undefined}
            data-testid="upload-preview"
          />
        )}
        <label htmlFor={inputId} className={styles.dropText}>
          {asset && !busy ? (
            <span className={styles.chooseLabel}>{t("replace")}</span>
          ) : (
            <>
              {multiple ? t("dropMany") : t("drop")}{" "}
              <span className={styles.chooseLabel}>{multiple ? t("chooseMany") : t("choose")}</span>
            </>
          )}
        </label>
        <input
          id={inputId}
          type="file"
          accept="image/jpeg,image/png,image/webp,image/avif,image/gif"
          className="visually-hidden"
          multiple={multiple}
          disabled={busy}
          onChange={(event) => {
            upload(pick(event.currentTarget.files));
            event.currentTarget.value = "";
          }}
        />
        <p className="hint">{t("hint", { maxMegabytes })}</p>
      </div>
      {running.map((u) => (
        <div key={u.key} className="stack" role="status" data-testid="upload-progress">
          <ProgressBar
            value={u.progress ?? 0}
            label={multiple ? t("progressLabelFile", { name: u.name }) : t("progressLabel")}
          />
          <p className="hint">
            {multiple
              ? t("uploadingFile", { name: u.name, percent: u.progress ?? 0 })
              : // Every byte is sent; the server still decodes and stores the image.
                u.progress === 100
                ? t("processing")
                : t("uploading", { percent: u.progress ?? 0 })}
          </p>
        </div>
      ))}
      {asset && !busy && (
        <p className="hint" data-testid="upload-details">
          {asset.name ? `${asset.name} · ` : ""}
          {t("details", { width: asset.width ?? "?", height: asset.height ?? "?", size: formatBytes(asset.bytes) })}
        </p>
      )}
      {failed.map((u) => (
        <Notice key={u.key}>{multiple ? t("fileFailed", { name: u.name, message: u.error ?? "" }) : u.error}</Notice>
      ))}
    </div>
  );
}
