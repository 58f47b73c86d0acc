"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { ApiError } from "./client";

/** Message to show for a failed call: the server's own text, else a translated generic one. */
export function useErrorMessage(): (error: unknown) => string {
  const t = useTranslations("common");
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError) {
        if (error.message) return error.message;
        if (error.status === 0) return t("networkError");
      }
      return t("genericError");
    },
    [t],
  );
}
