"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { authClient } from "../session/auth-client";
import { useSession } from "../session/session-provider";
import { LocaleSwitch } from "./locale-switch";
import styles from "./site-header.module.css";

export function SiteHeader() {
  const t = useTranslations("nav");
  const session = useSession();
  const pathname = usePathname();
  const me = session.status === "signed-in" ? session.me : null;

  const links = me
    ? [
        { href: "/dashboard", label: t("dashboard") },
        { href: "/studio", label: t("studio") },
        { href: "/generators", label: t("generators") },
        { href: "/batch", label: t("batch") },
        { href: "/gallery", label: t("gallery") },
        { href: "/statement", label: t("statement") },
        { href: "/billing", label: t("billing") },
        // One entry for admins: the admin pages have their own tabs.
        ...(me.user.role === "admin" ? [{ href: "/admin/providers", label: t("admin") }] : []),
      ]
    : [{ href: "/pricing", label: t("pricing") }];

  async function signOut() {
    await authClient().signOut();
    // A full page load drops every bit of client state of the old session (and, unlike a client
    // navigation, cannot race the signed-out guard of the page we are leaving).
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign("/");
  }

  return (
    <header className={styles.header}>
      <div className={styles.inner}>
        <Link href={me ? "/dashboard" : "/"} className={styles.brand} aria-label={t("home")}>
          <span className={styles.logo} aria-hidden="true" />
          <span className={styles.brandName}>Pixelwerk</span>
        </Link>
        {links.length > 0 && (
          <nav className={styles.nav} aria-label={t("main")}>
            {links.map((link) => (
              <Link
                key={link.href}
                href={link.href}
                className={styles.link}
                aria-current={pathname === link.href || pathname.startsWith(`${link.href}/`) ? "page" : undefined}
              >
                {link.label}
              </Link>
            ))}
          </nav>
        )}
        <div className={styles.actions}>
          {me && (
            <Link href="/statement" className={`pill ${styles.balance}`} data-testid="header-balance">
              {t("balance", { balance: me.account.balance })}
            </Link>
          )}
          <LocaleSwitch />
          {me ? (
            <button type="button" className={styles.textButton} onClick={signOut}>
              {t("signOut")}
            </button>
          ) : (
            session.status === "signed-out" && (
              <>
                <Link href="/sign-in" className={styles.textButton}>
                  {t("signIn")}
                </Link>
                <Link href="/sign-up" className="button button-small">
                  {t("signUp")}
                </Link>
              </>
            )
          )}
        </div>
      </div>
    </header>
  );
}
