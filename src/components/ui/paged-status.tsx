"use client";

import { useTranslations } from "next-intl";
import { Notice } from "./notice";

type Props = {
  error: string | null;
  loading: boolean;
  /** With both, a "Load more" button shows while nothing is loading. */
  hasMore?: boolean;
  onMore?: () => void;
};

/** The state of a list from usePaged: its error, "Loading…", or the button that fetches the next page. */
export function PagedStatus({ error, loading, hasMore = false, onMore }: Props) {
  const tc = useTranslations("common");
  return (
    <>
      {error && <Notice>{error}</Notice>}
      {loading && <p className="muted">{tc("loading")}</p>}
      {hasMore && onMore && !loading && (
        <button type="button" className="button button-secondary" onClick={onMore}>
          {tc("loadMore")}
        </button>
      )}
    </>
  );
}
