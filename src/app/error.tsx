"use client";

import { useTranslations } from "next-intl";
import { Notice } from "@/components/ui/notice";

/** Last line of defence for a page that crashed while rendering: say so, offer a retry. */
export default function ErrorPage({ retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const t = useTranslations("common");
  return (
    <div className="container narrow">
      <Notice>{t("genericError")}</Notice>
      <p>
        <button type="button" className="button" onClick={() => retry()}>
          {t("retry")}
        </button>
      </p>
    </div>
  );
}
