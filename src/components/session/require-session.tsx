"use client";

import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { Notice } from "../ui/notice";
import { useSession } from "./session-provider";

/** Client-side guard for app pages: signed-out visitors go to /sign-in. */
export function RequireSession({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const session = useSession();
  const router = useRouter();
  const pathname = usePathname();
  const t = useTranslations("common");

  useEffect(() => {
    if (session.status === "signed-out") router.replace(`/sign-in?next=${encodeURIComponent(pathname)}`);
  }, [session.status, router, pathname]);

  if (session.status !== "signed-in") {
    return (
      <p className="muted" role="status">
        {t("loading")}
      </p>
    );
  }
  if (admin && session.me.user.role !== "admin") {
    return <Notice>{t("adminOnly")}</Notice>;
  }
  return <>{children}</>;
}
