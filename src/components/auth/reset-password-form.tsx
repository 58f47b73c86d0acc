"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { authClient, explainedMessage, readAuthError } from "../session/auth-client";
import { FormActions } from "../ui/form-actions";
import { Notice } from "../ui/notice";
import styles from "./auth.module.css";
import { AuthCard } from "./auth-card";
import { NewPasswordField } from "./new-password-field";
import { passwordProblem } from "./password-rules";

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
    const explained = explainedMessage(readAuthError(result.error));
    if (explained) setError(explained);
    else setState("invalid");
  }

  return (
    <AuthCard
      title={t("resetTitle")}
      lead={state === "form" ? t("resetLead") : undefined}
      footer={
        state === "invalid" ? (
          <Link href="/forgot-password">{t("requestNewLink")}</Link>
        ) : (
          <Link href="/sign-in">{t("backToSignIn")}</Link>
        )
      }
    >
      {state === "done" && <Notice tone="success">{t("resetDone")}</Notice>}
      {state === "invalid" && <Notice>{t("resetInvalid")}</Notice>}
      {state === "form" && (
        <form className={styles.form} onSubmit={submit}>
          <NewPasswordField id="reset-password" name="password" label={t("newPassword")} />
          <NewPasswordField id="reset-confirm" name="confirm" label={t("confirmPassword")} />
          <FormActions message={error} pending={pending} label={t("submitReset")} pendingLabel={t("working")} />
        </form>
      )}
    </AuthCard>
  );
}
