"use client";

import { useTranslations } from "next-intl";
import type { Asset } from "../api/types";
import styles from "./studio.module.css";

type Props = { uploads: Asset[]; selectedId: string | null; disabled: boolean; onSelect: (asset: Asset) => void };

/** The user's uploads as a row of thumbnails; the pressed one is the image being edited. */
export function UploadStrip({ uploads, selectedId, disabled, onSelect }: Props) {
  const t = useTranslations("studio");
  if (uploads.length === 0) return null;
  return (
    <div className={styles.stripWrap}>
      <p className="label" id="strip-label">
        {t("uploads")}
      </p>
      <ul className={styles.strip} aria-labelledby="strip-label" data-testid="upload-strip">
        {uploads.map((asset) => (
          <li key={asset.id}>
            <button
              type="button"
              className={styles.thumb}
              aria-pressed={asset.id === selectedId}
              disabled={disabled && asset.id !== selectedId}
              onClick={() => onSelect(asset)}
              title={asset.name ?? undefined}
              data-testid="strip-item"
            >
              {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
              <img src={asset.url} alt={t("editImage", { name: asset.name ?? t("untitled") })} loading="lazy" />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
