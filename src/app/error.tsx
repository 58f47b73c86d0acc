"use client";

import { useTranslations } from "next-intl";

/** Last line of defence for a page that crashed while rendering: say so, offer a retry. */
export default function ErrorPage({ retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const t = useTranslations("common");
  return (
    <div className="container narrow">
      <p className="notice notice-error" role="alert">
        {t("genericError")}
      </p>
      <p>
        <button type="button" className="button" onClick={() => retry()}>
          {t("retry")}
        </button>
      </p>
    </div>
  );
}
