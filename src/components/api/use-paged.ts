"use client";

import { useCallback, useEffect, useState } from "react";
import { api } from "./client";
import { useErrorMessage } from "./use-error-message";

type Page<T, Extra> = { items: T[]; nextCursor: string | null; extra: Extra };

/**
 * A cursor-paginated list: loads the first page on mount, then more on demand.
 * `pick` takes the items and anything else wanted from each answer.
 */
export function usePaged<Body, T, Extra = undefined>(
  path: string,
  pick: (body: Body) => Page<T, Extra>,
): {
  items: T[] | null;
  extra: Extra | undefined;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  loadMore: () => void;
} {
  const errorMessage = useErrorMessage();
  const [items, setItems] = useState<T[] | null>(null);
  const [extra, setExtra] = useState<Extra | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = useCallback(
    async (after: string | null) => {
      const separator = path.includes("?") ? "&" : "?";
      const url = after ? `${path}${separator}cursor=${encodeURIComponent(after)}` : path;
      return pick(await api<Body>(url, { cache: "no-store" }));
    },
    // pick is a pure mapping; callers pass an inline function, so only the path matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [path],
  );

  useEffect(() => {
    let active = true;
    fetchPage(null)
      .then((page) => {
        if (!active) return;
        setItems(page.items);
        setExtra(page.extra);
        setCursor(page.nextCursor);
      })
      .catch((e: unknown) => {
        if (active) setError(errorMessage(e));
      })
      .finally(() => {
        if (active) setLoading(false);
      });
    return () => {
      active = false;
    };
  }, [fetchPage, errorMessage]);

  const loadMore = useCallback(() => {
    if (!cursor || loading) return;
    setLoading(true);
    setError(null);
    fetchPage(cursor)
      .then((page) => {
        setItems((current) => [...(current ?? []), ...page.items]);
        setCursor(page.nextCursor);
      })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setLoading(false));
  }, [cursor, loading, fetchPage, errorMessage]);

  return { items, extra, hasMore: cursor !== null, loading, error, loadMore };
}
