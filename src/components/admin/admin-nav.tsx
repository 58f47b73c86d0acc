"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./admin.module.css";

/** Tabs between the admin pages; the header links to the first of them. */
export function AdminNav() {
  const t = useTranslations("adminNav");
  const pathname = usePathname();
  const links = [
    { href: "/admin/providers", label: t("providers") },
    { href: "/admin/jobs", label: t("jobs") },
    { href: "/admin/credits", label: t("credits") },
    { href: "/admin/outbox", label: t("outbox") },
  ];
  return (
    <nav aria-label={t("label")} className={styles.tabs}>
      {links.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          className={styles.tab}
          aria-current={pathname === link.href ? "page" : undefined}
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
