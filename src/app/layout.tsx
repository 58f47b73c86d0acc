import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/header/site-header";
import { SessionProvider } from "@/components/session/session-provider";
import { readPublicSettings } from "@/features/admin/server/public-settings";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return {
    title: { default: `Pixelwerk · ${t("landing")}`, template: "%s · Pixelwerk" },
    description: t("description"),
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, t, tf] = await Promise.all([getLocale(), getTranslations("nav"), getTranslations("footer")]);
  const { sourceUrl } = readPublicSettings();
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>
          <SessionProvider>
            <a className="skip-link" href="#main">
              {t("skip")}
            </a>
            <SiteHeader />
            <main id="main">{children}</main>
            <footer className="site-footer">
              {tf("licence")}
              {sourceUrl && (
                <>
                  {" · "}
                  <a href={sourceUrl}>{tf("source")}</a>
                </>
              )}
            </footer>
          </SessionProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
