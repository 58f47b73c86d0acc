import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { JobMargins } from "@/components/admin/job-margins";
import { RequireSession } from "@/components/session/require-session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("adminJobs") };
}

export default function AdminJobsPage() {
  return (
    <RequireSession admin>
      <JobMargins />
    </RequireSession>
  );
}
