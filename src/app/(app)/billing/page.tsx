import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { BillingOverview } from "@/components/billing/billing-overview";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("billing") };
}

export default function BillingPage() {
  return <BillingOverview />;
}
