"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { authClient, readAuthError } from "../session/auth-client";
import styles from "./auth.module.css";

export function ForgotPasswordForm() {
  const t = useTranslations("auth");
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    setPending(true);
    setError(null);
    const result = await authClient().requestPasswordReset({ email, redirectTo: "/reset-password" });
    const e = result.error ? readAuthError(result.error) : null;
    setPending(false);
    // Same answer whether or not the account exists; only throttling is worth telling.
    if (e?.status === 429 && e.message) setError(e.message);
    else setSent(true);
  }

  return (
    <div className={`card ${styles.wrap}`}>
      <h1>{t("forgotTitle")}</h1>
      {sent ? (
        <p className="notice notice-success" role="status">
          {t("forgotSent")}
        </p>
      ) : (
        <>
          <p className={styles.lead}>{t("forgotLead")}</p>
          <form className={styles.form} onSubmit={submit}>
            <div className="field">
              <label htmlFor="forgot-email">{t("email")}</label>
              <input id="forgot-email" name="email" type="email" className="input" autoComplete="email" required />
            </div>
            {error && (
              <p className="notice notice-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="button button-block" disabled={pending}>
              {pending ? t("working") : t("submitForgot")}
            </button>
          </form>
        </>
      )}
      <p className={styles.footer}>
        <Link href="/sign-in">{t("backToSignIn")}</Link>
      </p>
    </div>
  );
}
