"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { authClient, explainedMessage, readAuthError } from "../session/auth-client";
import { FormActions } from "../ui/form-actions";
import { Notice } from "../ui/notice";
import { TextField } from "../ui/text-field";
import styles from "./auth.module.css";
import { AuthCard } from "./auth-card";

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
    // Same answer whether or not the account exists; only throttling or a refused address is worth telling.
    const explained = explainedMessage(e);
    if (explained) setError(explained);
    else setSent(true);
  }

  return (
    <AuthCard
      title={t("forgotTitle")}
      lead={sent ? undefined : t("forgotLead")}
      footer={<Link href="/sign-in">{t("backToSignIn")}</Link>}
    >
      {sent ? (
        <Notice tone="success">{t("forgotSent")}</Notice>
      ) : (
        <form className={styles.form} onSubmit={submit}>
          <TextField id="forgot-email" name="email" type="email" label={t("email")} autoComplete="email" required />
          <FormActions message={error} pending={pending} label={t("submitForgot")} pendingLabel={t("working")} />
        </form>
      )}
    </AuthCard>
  );
}
