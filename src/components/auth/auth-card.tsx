import Link from "next/link";
import type { ReactNode } from "react";
import styles from "./auth.module.css";

type Props = { title: string; lead?: string; footer?: ReactNode; children: ReactNode };

/** The card every auth page is: a title, an optional lead, the content, an optional footer line. */
export function AuthCard({ title, lead, footer, children }: Props) {
  return (
    <div className={`card ${styles.wrap}`}>
      <h1>{title}</h1>
      {lead && <p className={styles.lead}>{lead}</p>}
      {children}
      {footer && <p className={styles.footer}>{footer}</p>}
    </div>
  );
}

/** A footer pointing to the other form: "No account yet? Sign up". */
export function AuthSwitch({ prompt, href, label }: { prompt: string; href: string; label: string }) {
  return (
    <>
      {prompt} <Link href={href}>{label}</Link>
    </>
  );
}
