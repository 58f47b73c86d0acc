"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import type { Asset } from "../api/types";
import { usePaged } from "../api/use-paged";
import { useFormatDateTime } from "../ui/format";
import { isVideo, MediaFacts, OpenableMedia } from "../ui/media";
import { PagedStatus } from "../ui/paged-status";
import styles from "./gallery.module.css";

type Body = { assets: Asset[]; nextCursor: string | null };

export function Gallery() {
  const t = useTranslations("gallery");
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
              <OpenableMedia
                url={asset.url}
                mime={asset.mime}
                alt={t(isVideo(asset.mime) ? "videoAlt" : "outputAlt", { date: formatDateTime(asset.createdAt) })}
                linkClassName={styles.thumb}
                videoFrameClassName={styles.thumb}
              />
              <div className={styles.meta}>
                <MediaFacts
                  url={asset.url}
                  width={asset.width}
                  height={asset.height}
                  bytes={asset.bytes}
                  buttonClassName="button button-small button-secondary"
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      <PagedStatus error={error} loading={loading} hasMore={hasMore} onMore={loadMore} />
    </div>
  );
}
