import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("resetPassword") };
}

type Search = { token?: string | string[]; error?: string | string[] };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { token, error } = await searchParams;
  return (
    <ResetPasswordForm
      token={typeof token === "string" ? token : undefined}
      linkError={typeof error === "string" ? error : undefined}
    />
  );
}
