"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { authClient, readAuthError } from "../session/auth-client";
import styles from "./auth.module.css";
import { passwordMax, passwordMin, passwordProblem } from "./password-rules";

type State = "form" | "done" | "invalid";

/** token comes from the link in the reset mail; better-auth sends ?error=INVALID_TOKEN instead when it expired. */
export function ResetPasswordForm({ token, linkError }: { token?: string; linkError?: string }) {
  const t = useTranslations("auth");
  const [state, setState] = useState<State>(token && !linkError ? "form" : "invalid");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const newPassword = String(data.get("password") ?? "");
    const problem = passwordProblem(newPassword);
    if (problem) return setError(t(problem));
    if (newPassword !== String(data.get("confirm") ?? "")) return setError(t("passwordsDontMatch"));
    if (!token) return setState("invalid");

    setPending(true);
    setError(null);
    const result = await authClient().resetPassword({ newPassword, token });
    setPending(false);
    if (!result.error) return setState("done");
    const e = readAuthError(result.error);
    if (e.status === 429 && e.message) setError(e.message);
    else setState("invalid");
  }

  return (
    <div className={`card ${styles.wrap}`}>
      <h1>{t("resetTitle")}</h1>
      {state === "done" && (
        <p className="notice notice-success" role="status">
          {t("resetDone")}
        </p>
      )}
      {state === "invalid" && (
        <>
          <p className="notice notice-error" role="alert">
            {t("resetInvalid")}
          </p>
          <p className={styles.footer}>
            <Link href="/forgot-password">{t("requestNewLink")}</Link>
          </p>
        </>
      )}
      {state === "form" && (
        <>
          <p className={styles.lead}>{t("resetLead")}</p>
          <form className={styles.form} onSubmit={submit}>
            <div className="field">
              <label htmlFor="reset-password">{t("newPassword")}</label>
              <input
                id="reset-password"
                name="password"
                type="password"
                className="input"
                autoComplete="new-password"
                required
                minLength={passwordMin}
                maxLength={passwordMax}
              />
            </div>
            <div className="field">
              <label htmlFor="reset-confirm">{t("confirmPassword")}</label>
              <input
                id="reset-confirm"
                name="confirm"
                type="password"
                className="input"
                autoComplete="new-password"
                required
                minLength={passwordMin}
                maxLength={passwordMax}
              />
            </div>
            {error && (
              <p className="notice notice-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="button button-block" disabled={pending}>
              {pending ? t("working") : t("submitReset")}
            </button>
          </form>
        </>
      )}
      {state !== "invalid" && (
        <p className={styles.footer}>
          <Link href="/sign-in">{t("backToSignIn")}</Link>
        </p>
      )}
    </div>
  );
}
