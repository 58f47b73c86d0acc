import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Studio } from "@/components/studio/studio";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("studio") };
}

export default function StudioPage() {
  return <Studio />;
}
