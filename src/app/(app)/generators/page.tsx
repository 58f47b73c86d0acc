import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { GeneratorList } from "@/components/generators/generator-list";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("generators") };
}

export default function GeneratorsPage() {
  return <GeneratorList />;
}
