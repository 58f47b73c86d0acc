"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import type { Asset } from "../api/types";
import { usePaged } from "../api/use-paged";
import { downloadUrl, useFormatBytes, useFormatDateTime } from "../ui/format";
import { isVideo, Media } from "../ui/media";
import { PagedStatus } from "../ui/paged-status";
import styles from "./gallery.module.css";

type Body = { assets: Asset[]; nextCursor: string | null };

export function Gallery() {
  const t = useTranslations("gallery");
  const tc = useTranslations("common");
  const tj = useTranslations("jobs");
  const formatBytes = useFormatBytes();
  const formatDateTime = useFormatDateTime();
  const { items, hasMore, loading, error, loadMore } = usePaged<Body, Asset>(
    "/api/v1/assets?kind=output&limit=24",
    (body) => ({ items: body.assets, nextCursor: body.nextCursor, extra: undefined }),
  );

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t("title")}</h1>
        <p className="muted">{t("lead")}</p>
      </div>
      {items?.length === 0 && (
        <div className="card">
          <p className="muted">{t("empty")}</p>
          <Link href="/dashboard" className="button">
            {t("toDashboard")}
          </Link>
        </div>
      )}
      {items && items.length > 0 && (
        <ul className={styles.grid}>
          {items.map((asset) => (
            <li key={asset.id} className={styles.item} data-testid="gallery-item" data-mime={asset.mime}>
              {isVideo(asset.mime) ? (
                // A video plays in place; its file URL, never an /i/ image transformation.
                <div className={styles.thumb}>
                  <Media url={asset.url} mime={asset.mime} alt={t("videoAlt", { date: formatDateTime(asset.createdAt) })} />
                </div>
              ) : (
                <a href={asset.url} target="_blank" rel="noreferrer" className={styles.thumb}>
                  <Media url={asset.url} mime={asset.mime} alt={t("outputAlt", { date: formatDateTime(asset.createdAt) })} />
                </a>
              )}
              <div className={styles.meta}>
                <span className="hint">
                  {asset.width && asset.height
                    ? tj("details", { width: asset.width, height: asset.height, size: formatBytes(asset.bytes) })
                    : formatBytes(asset.bytes)}
                </span>
                <a href={downloadUrl(asset.url)} className="button button-small button-secondary" download>
                  {tc("download")}
                </a>
              </div>
            </li>
          ))}
        </ul>
      )}
      <PagedStatus error={error} loading={loading} hasMore={hasMore} onMore={loadMore} />
    </div>
  );
}
