import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminCredits } from "@/components/billing/admin-credits";
import { RequireSession } from "@/components/session/require-session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("adminCredits") };
}

export default function AdminCreditsPage() {
  return (
    <RequireSession admin>
      <AdminCredits />
    </RequireSession>
  );
}
