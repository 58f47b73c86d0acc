"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useSession } from "../session/session-provider";
import styles from "./landing.module.css";

/** Signed-in visitors get a way back to their dashboard instead of the sign-up pitch. */
export function LandingActions() {
  const t = useTranslations("landing");
  const session = useSession();

  if (session.status === "signed-in") {
    return (
      <div className={styles.actions}>
        <p className="muted">{t("signedInAs", { name: session.me.user.name })}</p>
        <Link href="/dashboard" className="button">
          {t("ctaDashboard")}
        </Link>
      </div>
    );
  }
  return (
    <div className={styles.actions}>
      <div className={styles.buttons}>
        <Link href="/sign-up" className="button">
          {t("ctaSignUp")}
        </Link>
        <Link href="/sign-in" className="button button-secondary">
          {t("ctaSignIn")}
        </Link>
      </div>
      <p className="muted small">{t("bonus")}</p>
    </div>
  );
}
