"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient, explainedMessage, readAuthError } from "../session/auth-client";
import { useSession } from "../session/session-provider";
import { FormActions } from "../ui/form-actions";
import { TextField } from "../ui/text-field";
import styles from "./auth.module.css";
import { AuthCard, AuthSwitch } from "./auth-card";
import { safeNext } from "@/features/auth/safe-next";
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
      setError(explainedMessage(e) ?? (e.code === "EMAIL_NOT_VERIFIED" ? t("emailNotVerified") : t("signInFailed")));
      setPending(false);
      return;
    }
    await session.refresh();
    router.push(safeNext(next, window.location.origin));
  }

  const footer = <AuthSwitch prompt={t("noAccount")} href="/sign-up" label={t("submitSignUp")} />;
  return (
    <AuthCard title={t("signInTitle")} lead={t("signInLead")} footer={footer}>
      <form className={styles.form} onSubmit={submit}>
        <TextField id="sign-in-email" name="email" type="email" label={t("email")} autoComplete="email" required />
        <TextField
          id="sign-in-password"
          name="password"
          type="password"
          label={t("password")}
          autoComplete="current-password"
          required
        />
        <div className={styles.row}>
          <Link href="/forgot-password">{t("forgotLink")}</Link>
        </div>
        <FormActions message={error} pending={pending} label={t("submitSignIn")} pendingLabel={t("working")} />
      </form>
      <SocialButtons next={next} />
    </AuthCard>
  );
}
