"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api/client";
import { useErrorMessage } from "../api/use-error-message";
import { Notice } from "../ui/notice";
import { TextField } from "../ui/text-field";
import styles from "./admin.module.css";
import { useOptionalMessage } from "./optional-message";
import { ProviderModels } from "./provider-models";
import type { ConnectionResult, ProviderSettingView, ProviderView } from "./types";

type Props = { provider: ProviderView; onChange: (provider: ProviderView) => void };

/** One provider: its status, on/off switch, settings form, connection test and price list. */
export function ProviderCard({ provider, onChange }: Props) {
  const t = useTranslations("adminProviders");
  const errorMessage = useErrorMessage();
  const optional = useOptionalMessage("adminProviders");
  // Secrets are never prefilled; other fields show the admin's own value (the env's is a placeholder).
  const initial = () =>
    Object.fromEntries(
      provider.settings.map((s) => [s.name, !s.secret && s.source === "admin" ? (s.value ?? "") : ""]),
    );
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [test, setTest] = useState<{ pending: boolean; result: ConnectionResult | null; error: string | null }>({
    pending: false,
    result: null,
    error: null,
  });

  async function patch(body: { enabled?: boolean; settings?: Record<string, string | null> }, successText: string) {
    setPending(true);
    setMessage(null);
    setFieldErrors({});
    try {
      const { provider: updated } = await api<{ provider: ProviderView }>(
        `/api/v1/admin/providers/${encodeURIComponent(provider.id)}`,
        {
          method: "PATCH",
          json: body,
        },
      );
      onChange(updated);
      setValues(
        Object.fromEntries(
          updated.settings.map((s) => [s.name, !s.secret && s.source === "admin" ? (s.value ?? "") : ""]),
        ),
      );
      setMessage({ tone: "success", text: successText });
    } catch (error) {
      if (error instanceof ApiError) setFieldErrors(error.fields);
      setMessage({ tone: "error", text: errorMessage(error) });
    } finally {
      setPending(false);
    }
  }

  function changedSettings(): Record<string, string | null> {
    const changes: Record<string, string | null> = {};
    for (const setting of provider.settings) {
      const value = (values[setting.name] ?? "").trim();
      if (setting.secret) {
        if (value) changes[setting.name] = value;
      } else {
        const before = setting.source === "admin" ? (setting.value ?? "") : "";
        if (value !== before) changes[setting.name] = value || null;
      }
    }
    return changes;
  }

  function save(event: FormEvent) {
    event.preventDefault();
    void patch({ settings: changedSettings() }, t("saved"));
  }

  async function testConnection() {
    setTest({ pending: true, result: null, error: null });
    try {
      const result = await api<ConnectionResult>(`/api/v1/admin/providers/${encodeURIComponent(provider.id)}/test`, {
        method: "POST",
      });
      setTest({ pending: false, result, error: null });
    } catch (error) {
      setTest({ pending: false, result: null, error: errorMessage(error) });
    }
  }

  const status = provider.configuredBy ?? "none";
  const settingLabel = (setting: ProviderSettingView) => {
    const name = optional(`settingNames.${setting.name}`, setting.name);
    return setting.required ? `${name} (${t("required")})` : name;
  };
  const settingHint = (setting: ProviderSettingView) => {
    const where =
      setting.source === "env"
        ? t("setViaEnv", { env: setting.env })
        : setting.source === "admin"
          ? t("setHere", { env: setting.env })
          : t("unset", { env: setting.env });
    return setting.secret && setting.value ? `${where} ${t("keepSecret")}` : where;
  };

  return (
    <article
      className={`card ${styles.provider}`}
      data-testid="provider-card"
      data-provider={provider.id}
      aria-labelledby={`provider-${provider.id}`}
    >
      <header className={styles.providerHead}>
        <h2 id={`provider-${provider.id}`}>{provider.name}</h2>
        <span
          className={`${styles.status} ${provider.configured ? styles.statusOk : ""}`}
          data-testid="provider-status"
          data-status={status}
        >
          {t(`status.${status}`)}
          {!provider.enabled && ` · ${t("off")}`}
        </span>
      </header>
      <label className={styles.toggle}>
        <input
          type="checkbox"
          checked={provider.enabled}
          disabled={pending}
          onChange={(event) => void patch({ enabled: event.target.checked }, t("saved"))}
        />
        {t("enabled")}
      </label>

      {provider.settings.length > 0 && (
        <form className={styles.settings} onSubmit={save} noValidate>
          {provider.settings.map((setting) => {
            const id = `${provider.id}-${setting.name}`;
            return (
              <div key={setting.name} className={styles.settingRow}>
                <TextField
                  id={id}
                  label={settingLabel(setting)}
                  type={setting.secret ? "password" : setting.url ? "url" : "text"}
                  autoComplete={setting.secret ? "new-password" : "off"}
                  spellCheck={false}
                  value={values[setting.name] ?? ""}
                  placeholder={
                    setting.secret && setting.value
                      ? t("secretPlaceholder", { hint: setting.value })
                      : !setting.secret && setting.source === "env"
                        ? (setting.value ?? undefined)
                        : undefined
                  }
                  onChange={(event) => setValues((current) => ({ ...current, [setting.name]: event.target.value }))}
                  hint={settingHint(setting)}
                  error={fieldErrors[`settings.${setting.name}`]?.join(" ") ?? null}
                />
                {setting.source === "admin" && (
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-label={t("clearLabel", { name: settingLabel(setting) })}
                    disabled={pending}
                    onClick={() => void patch({ settings: { [setting.name]: null } }, t("saved"))}
                  >
                    {t("clear")}
                  </button>
                )}
              </div>
            );
          })}
          {message && <Notice tone={message.tone}>{message.text}</Notice>}
          <div className={styles.actions}>
            <button type="submit" className="button" disabled={pending}>
              {pending ? t("saving") : t("save")}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={test.pending}
              onClick={() => void testConnection()}
            >
              {test.pending ? t("testing") : t("test")}
            </button>
          </div>
          <div data-testid="provider-test-result">
            {test.error && <Notice>{test.error}</Notice>}
            {test.result?.ok === true && <Notice tone="success">{t("testOk", { ms: test.result.latencyMs })}</Notice>}
            {test.result?.ok === false && (
              <Notice>
                {t("testFailed", { reason: optional(`failures.${test.result.failure}`, test.result.failure) })}
                {test.result.message && <span className={styles.detail}>{test.result.message}</span>}
              </Notice>
            )}
          </div>
        </form>
      )}
      {provider.settings.length === 0 && message && <Notice tone={message.tone}>{message.text}</Notice>}

      <ProviderModels provider={provider} />
      {provider.envVars.length > 0 && <p className="hint">{t("envVars", { names: provider.envVars.join(", ") })}</p>}
    </article>
  );
}
