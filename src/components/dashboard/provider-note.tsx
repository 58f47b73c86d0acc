"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import type { ReactNode } from "react";
import type { Generator } from "../api/types";

/**
 * Shown instead of a usable run button when no AI provider for the generator is configured here:
 * which environment variables would enable it, and where admins set up providers.
 */
export function ProviderNote({ generator }: { generator: Pick<Generator, "available" | "requires"> }) {
  const t = useTranslations("generator");
  if (generator.available) return null;
  const link = (chunks: ReactNode) => <Link href="/admin/providers">{chunks}</Link>;
  return (
    <p className="notice" role="note" data-testid="provider-note">
      {generator.requires.length > 0
        ? t.rich("needsProvider", { keys: generator.requires.join(", "), link })
        : t.rich("needsProviderNoKeys", { link })}
    </p>
  );
}
