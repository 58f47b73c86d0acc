import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Providers } from "@/components/admin/providers";
import { RequireSession } from "@/components/session/require-session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("adminProviders") };
}

export default function AdminProvidersPage() {
  return (
    <RequireSession admin>
      <Providers />
    </RequireSession>
  );
}
