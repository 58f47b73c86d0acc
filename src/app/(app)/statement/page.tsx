import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Statement } from "@/components/statement/statement";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("statement") };
}

export default function StatementPage() {
  return <Statement />;
}
