import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { GeneratorPage } from "@/components/generators/generator-page";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const [meta, generators] = await Promise.all([getTranslations("meta"), getTranslations("generators")]);
  // The id comes from the URL: checked with has() before use.
  const key = `${id}.title` as Parameters<typeof generators>[0];
  return { title: generators.has(key) ? generators(key) : meta("generators") };
}

export default async function GeneratorIdPage({ params }: Props) {
  const { id } = await params;
  return <GeneratorPage id={id} />;
}
