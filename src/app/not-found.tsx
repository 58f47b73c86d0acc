import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("notFound") };
}

export default async function NotFound() {
  const t = await getTranslations("notFound");
  return (
    <div className="container narrow">
      <h1>{t("title")}</h1>
      <p className="muted">{t("text")}</p>
      <Link href="/" className="button">
        {t("home")}
      </Link>
    </div>
  );
}
