"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient, readAuthError } from "../session/auth-client";
import { useSession } from "../session/session-provider";
import styles from "./auth.module.css";
import { passwordMax, passwordMin, passwordProblem } from "./password-rules";
import { SocialButtons } from "./social-buttons";

type Feedback = { tone: "error" | "info"; text: string };

export function SignUpForm() {
  const t = useTranslations("auth");
  const router = useRouter();
  const session = useSession();
  const [pending, setPending] = useState(false);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = String(data.get("name") ?? "").trim();
    const email = String(data.get("email") ?? "").trim();
    const password = String(data.get("password") ?? "");
    const problem = passwordProblem(password);
    setPasswordError(problem ? t(problem) : null);
    if (problem) return;

    setPending(true);
    setFeedback(null);
    const client = authClient();
    // The server answers sign-up the same way whether or not the email exists, and never signs
    // in by itself: signing in right after is how we find out whether it worked.
    const signUp = await client.signUp.email({ name, email, password });
    const signUpError = signUp.error ? readAuthError(signUp.error) : null;
    if (signUpError?.status === 429 && signUpError.message) {
      setFeedback({ tone: "error", text: signUpError.message });
      setPending(false);
      return;
    }
    const signIn = await client.signIn.email({ email, password });
    if (signIn.error) {
      const e = readAuthError(signIn.error);
      const text = e.status === 429 && e.message ? e.message : signUpError ? t("signUpFailed") : t("checkInbox");
      setFeedback({ tone: signUpError || e.status === 429 ? "error" : "info", text });
      setPending(false);
      return;
    }
    await session.refresh();
    router.push("/dashboard");
  }

  return (
    <div className={`card ${styles.wrap}`}>
      <h1>{t("signUpTitle")}</h1>
      <p className={styles.lead}>{t("signUpLead")}</p>
      <form className={styles.form} onSubmit={submit}>
        <div className="field">
          <label htmlFor="sign-up-name">{t("name")}</label>
          <input id="sign-up-name" name="name" className="input" autoComplete="name" required maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="sign-up-email">{t("email")}</label>
          <input id="sign-up-email" name="email" type="email" className="input" autoComplete="email" required />
        </div>
        <div className="field">
          <label htmlFor="sign-up-password">{t("password")}</label>
          <input
            id="sign-up-password"
            name="password"
            type="password"
            className="input"
            autoComplete="new-password"
            required
            minLength={passwordMin}
            maxLength={passwordMax}
            aria-invalid={passwordError ? true : undefined}
            aria-describedby="sign-up-password-hint"
          />
          <p id="sign-up-password-hint" className={passwordError ? "field-error" : "hint"}>
            {passwordError ?? t("passwordHint")}
          </p>
        </div>
        {feedback && (
          <p className={`notice ${feedback.tone === "error" ? "notice-error" : ""}`} role="alert">
            {feedback.text}
          </p>
        )}
        <button type="submit" className="button button-block" disabled={pending}>
          {pending ? t("working") : t("submitSignUp")}
        </button>
      </form>
      <SocialButtons />
      <p className={styles.footer}>
        {t("haveAccount")} <Link href="/sign-in">{t("submitSignIn")}</Link>
      </p>
    </div>
  );
}
