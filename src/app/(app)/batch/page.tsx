import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Batch } from "@/components/batch/batch";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("batch") };
}

export default function BatchPage() {
  return <Batch />;
}
