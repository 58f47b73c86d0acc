import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Outbox } from "@/components/admin/outbox";
import { RequireSession } from "@/components/session/require-session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("outbox") };
}

export default function OutboxPage() {
  return (
    <RequireSession admin>
      <Outbox />
    </RequireSession>
  );
}
