import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Gallery } from "@/components/gallery/gallery";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("gallery") };
}

export default function GalleryPage() {
  return <Gallery />;
}
