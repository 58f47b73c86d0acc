"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient, explainedMessage, readAuthError } from "../session/auth-client";
import { useSession } from "../session/session-provider";
import { FormActions } from "../ui/form-actions";
import { TextField } from "../ui/text-field";
import styles from "./auth.module.css";
import { AuthCard, AuthSwitch } from "./auth-card";
import { nameMax } from "@/features/auth/name-rules";
import { NewPasswordField } from "./new-password-field";
import { passwordProblem } from "./password-rules";
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
    // Throttled, a refused address (open APP_URL instead), a name too long: the server says why.
    const explainedSignUp = explainedMessage(signUpError);
    if (explainedSignUp) {
      setFeedback({ tone: "error", text: explainedSignUp });
      setPending(false);
      return;
    }
    const signIn = await client.signIn.email({ email, password });
    if (signIn.error) {
      const e = readAuthError(signIn.error);
      const explainedSignIn = explainedMessage(e);
      const text = explainedSignIn ?? (signUpError ? t("signUpFailed") : t("checkInbox"));
      setFeedback({ tone: signUpError || explainedSignIn ? "error" : "info", text });
      setPending(false);
      return;
    }
    await session.refresh();
    router.push("/dashboard");
  }

  const footer = <AuthSwitch prompt={t("haveAccount")} href="/sign-in" label={t("submitSignIn")} />;
  return (
    <AuthCard title={t("signUpTitle")} lead={t("signUpLead")} footer={footer}>
      <form className={styles.form} onSubmit={submit}>
        <TextField id="sign-up-name" name="name" label={t("name")} autoComplete="name" required maxLength={nameMax} />
        <TextField id="sign-up-email" name="email" type="email" label={t("email")} autoComplete="email" required />
        <NewPasswordField
          id="sign-up-password"
          name="password"
          label={t("password")}
          hint={t("passwordHint")}
          error={passwordError}
        />
        <FormActions
          message={feedback?.text}
          tone={feedback?.tone}
          pending={pending}
          label={t("submitSignUp")}
          pendingLabel={t("working")}
        />
      </form>
      <SocialButtons />
    </AuthCard>
  );
}
