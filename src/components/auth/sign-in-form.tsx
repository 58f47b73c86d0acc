"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient, readAuthError } from "../session/auth-client";
import { useSession } from "../session/session-provider";
import styles from "./auth.module.css";
import { safeNext } from "./password-rules";
import { SocialButtons } from "./social-buttons";

export function SignInForm({ next }: { next?: string }) {
  const t = useTranslations("auth");
  const router = useRouter();
  const session = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await authClient().signIn.email({
      email: String(data.get("email") ?? ""),
      password: String(data.get("password") ?? ""),
    });
    if (result.error) {
      const e = readAuthError(result.error);
      if (e.status === 429 && e.message) setError(e.message);
      else if (e.status === 403) setError(t("emailNotVerified"));
      else setError(t("signInFailed"));
      setPending(false);
      return;
    }
    await session.refresh();
    router.push(safeNext(next));
  }

  return (
    <div className={`card ${styles.wrap}`}>
      <h1>{t("signInTitle")}</h1>
      <p className={styles.lead}>{t("signInLead")}</p>
      <form className={styles.form} onSubmit={submit}>
        <div className="field">
          <label htmlFor="sign-in-email">{t("email")}</label>
          <input id="sign-in-email" name="email" type="email" className="input" autoComplete="email" required />
        </div>
        <div className="field">
          <label htmlFor="sign-in-password">{t("password")}</label>
          <input
            id="sign-in-password"
            name="password"
            type="password"
            className="input"
            autoComplete="current-password"
            required
          />
        </div>
        <div className={styles.row}>
          <Link href="/forgot-password">{t("forgotLink")}</Link>
        </div>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-block" disabled={pending}>
          {pending ? t("working") : t("submitSignIn")}
        </button>
      </form>
      <SocialButtons />
      <p className={styles.footer}>
        {t("noAccount")} <Link href="/sign-up">{t("submitSignUp")}</Link>
      </p>
    </div>
  );
}
