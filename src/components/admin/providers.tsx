"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { useErrorMessage } from "../api/use-error-message";
import { PageHead } from "../ui/page-head";
import { PagedStatus } from "../ui/paged-status";
import styles from "./admin.module.css";
import { AdminNav } from "./admin-nav";
import { BlocklistEditor } from "./blocklist-editor";
import { ProviderCard } from "./provider-card";
import { ProviderOrderEditor } from "./provider-order";
import type { ProviderView } from "./types";

/** /admin/providers: keys and switches per provider, the fallback order, the prompt blocklist. */
export function Providers() {
  const t = useTranslations("adminProviders");
  const errorMessage = useErrorMessage();
  const [providers, setProviders] = useState<ProviderView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    api<{ providers: ProviderView[] }>("/api/v1/admin/providers", { cache: "no-store" })
      .then((answer) => active && setProviders(answer.providers))
      .catch((e: unknown) => active && setError(errorMessage(e)));
    return () => {
      active = false;
    };
  }, [errorMessage]);

  function replace(updated: ProviderView) {
    setProviders((current) => current?.map((p) => (p.id === updated.id ? updated : p)) ?? null);
  }

  return (
    <div className="stack">
      <AdminNav />
      <PageHead title={t("title")} lead={t("lead")} />
      <PagedStatus error={error} loading={providers === null && !error} />
      <div className={styles.providers}>
        {providers?.map((provider) => (
          <ProviderCard key={provider.id} provider={provider} onChange={replace} />
        ))}
      </div>
      <ProviderOrderEditor />
      <BlocklistEditor />
    </div>
  );
}
