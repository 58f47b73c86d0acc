"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { api, ApiError, newIdempotencyKey } from "../api/client";
import { useErrorMessage } from "../api/use-error-message";
import { useFormatDateTime } from "../ui/format";
import { FormActions } from "../ui/form-actions";
import { Notice } from "../ui/notice";
import { PageHead } from "../ui/page-head";
import { TextField } from "../ui/text-field";
import styles from "./billing.module.css";
import { AdminNav } from "@/components/admin/admin-nav";

type Adjustment = { id: string; email: string; amount: number; memo: string; balanceAfter: number; createdAt: string };

/** Admins grant credits by hand (payments off, a bank transfer, a goodwill gesture), with a note. */
export function AdminCredits() {
  const t = useTranslations("adminCredits");
  const errorMessage = useErrorMessage();
  const formatDateTime = useFormatDateTime();
  const id = useId();
  const [amount, setAmount] = useState(100);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [recent, setRecent] = useState<Adjustment[] | null>(null);
  // One key per intended grant: a double submit or a retry after a network error grants once.
  const key = useRef(newIdempotencyKey());

  const load = useCallback(
    () =>
      api<{ adjustments: Adjustment[] }>("/api/v1/admin/credits", { cache: "no-store" }).then(
        (body) => body.adjustments,
        () => [],
      ),
    [],
  );
  useEffect(() => {
    let active = true;
    void load().then((adjustments) => active && setRecent(adjustments));
    return () => {
      active = false;
    };
  }, [load]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setMessage(null);
    setFields({});
    try {
      const result = await api<{ email: string; balance: number }>("/api/v1/admin/credits", {
        method: "POST",
        headers: { "Idempotency-Key": key.current },
        json: { email: String(form.get("email") ?? ""), amount, memo: String(form.get("memo") ?? "") },
      });
      key.current = newIdempotencyKey();
      setMessage({ tone: "success", text: t("done", { email: result.email, balance: result.balance }) });
      setRecent(await load());
    } catch (e) {
      setMessage({ tone: "error", text: errorMessage(e) });
      if (e instanceof ApiError) setFields(e.fields);
    } finally {
      setPending(false);
    }
  }

  const count = Math.abs(amount);
  return (
    <div className="stack">
      <AdminNav />
      <PageHead title={t("title")} lead={t("lead")} />
      <form className={`card ${styles.adminForm}`} onSubmit={submit} data-testid="admin-credits-form">
        <TextField
          id={`${id}-email`}
          name="email"
          type="email"
          label={t("email")}
          required
          autoComplete="off"
          error={fields.email?.[0]}
        />
        <TextField
          id={`${id}-amount`}
          name="amount"
          type="number"
          step={1}
          label={t("amount")}
          hint={t("amountHint")}
          required
          value={Number.isFinite(amount) ? amount : ""}
          onChange={(e) => setAmount(Math.trunc(Number(e.currentTarget.value)))}
          error={fields.amount?.[0]}
        />
        <div className={styles.wide}>
          <TextField
            id={`${id}-memo`}
            name="memo"
            label={t("memo")}
            hint={t("memoHint")}
            required
            minLength={3}
            maxLength={500}
            error={fields.memo?.[0]}
          />
        </div>
        <div className={`${styles.wide} stack`}>
          {message?.tone === "success" && <Notice tone="success">{message.text}</Notice>}
          <FormActions
            message={message?.tone === "error" ? message.text : null}
            pending={pending}
            disabled={!amount}
            label={amount < 0 ? t("remove", { count }) : t("grant", { count })}
            pendingLabel={t("saving")}
          />
        </div>
      </form>
      <section className="stack" aria-labelledby={`${id}-recent`}>
        <h2 id={`${id}-recent`}>{t("recent")}</h2>
        {recent?.length === 0 && <p className="muted">{t("empty")}</p>}
        {recent && recent.length > 0 && (
          <ul className={`card ${styles.entries}`}>
            {recent.map((entry) => (
              <li key={entry.id} data-testid="admin-adjustment">
                <span className={styles.entryText}>
                  <span>{entry.email}</span>
                  <span className="muted small">{entry.memo}</span>
                  <span className="muted small">{formatDateTime(entry.createdAt)}</span>
                </span>
                <span className={`${styles.entryAmount} ${entry.amount > 0 ? styles.plus : styles.minus}`}>
                  {entry.amount > 0 ? `+${entry.amount}` : entry.amount}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
