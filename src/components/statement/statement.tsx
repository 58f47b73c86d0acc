"use client";

import { useLocale, useTranslations } from "next-intl";
import { ledgerKinds } from "@/features/credits/ledger-kinds";
import type { LedgerEntry, LedgerKind } from "../api/types";
import { usePaged } from "../api/use-paged";
import { useSession } from "../session/session-provider";
import { useFormatDateTime } from "../ui/format";
import { PageHead } from "../ui/page-head";
import { PagedStatus } from "../ui/paged-status";
import styles from "./statement.module.css";

type Account = { balance: number; held: number };
type Body = { entries: LedgerEntry[]; nextCursor: string | null; account: Account };

const isKnownKind = (kind: string): kind is LedgerKind => (ledgerKinds as readonly string[]).includes(kind);

export function Statement() {
  const t = useTranslations("statement");
  const tc = useTranslations("common");
  const locale = useLocale();
  const session = useSession();
  const formatDateTime = useFormatDateTime();
  const { items, extra, hasMore, loading, error, loadMore } = usePaged<Body, LedgerEntry, Account>(
    "/api/v1/ledger?limit=50",
    (body) => ({ items: body.entries, nextCursor: body.nextCursor, extra: body.account }),
  );
  const account = extra ?? (session.status === "signed-in" ? session.me.account : null);
  const signed = new Intl.NumberFormat(locale, { signDisplay: "exceptZero" });

  function describe(entry: LedgerEntry): string {
    // The hold already took the credits; the capture is where the charge becomes final.
    if (entry.kind === "capture" && typeof entry.meta?.captured === "number") {
      return t("charged", { amount: entry.meta.captured });
    }
    return isKnownKind(entry.kind) ? t(`kinds.${entry.kind}`) : t("kinds.other");
  }

  return (
    <div className="stack">
      <PageHead title={t("title")} lead={t("lead")}>
        {account && (
          <dl className={styles.summary}>
            <div className="tile">
              <dt>{t("balance")}</dt>
              <dd data-testid="statement-balance">{tc("credits", { count: account.balance })}</dd>
            </div>
            <div className="tile">
              <dt>{t("held")}</dt>
              <dd data-testid="statement-held">{tc("credits", { count: account.held })}</dd>
            </div>
          </dl>
        )}
      </PageHead>
      {items?.length === 0 && <p className="muted">{t("empty")}</p>}
      {items && items.length > 0 && (
        <div className="card">
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{t("date")}</th>
                <th scope="col">{t("description")}</th>
                <th scope="col" className={styles.number}>
                  {t("amount")}
                </th>
                <th scope="col" className={styles.number}>
                  {t("balanceAfter")}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr key={entry.id} data-testid="ledger-entry" data-kind={entry.kind}>
                  <td data-label={t("date")}>{formatDateTime(entry.createdAt)}</td>
                  <td data-label={t("description")}>
                    {describe(entry)}
                    {entry.referenceType === "job" && entry.referenceId && (
                      <span className={styles.reference}>{t("job", { id: entry.referenceId.slice(0, 8) })}</span>
                    )}
                  </td>
                  <td
                    data-label={t("amount")}
                    className={`${styles.number} ${entry.amount > 0 ? styles.plus : entry.amount < 0 ? styles.minus : styles.zero}`}
                  >
                    {signed.format(entry.amount)}
                  </td>
                  <td data-label={t("balanceAfter")} className={styles.number}>
                    {entry.balanceAfter}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PagedStatus error={error} loading={loading} hasMore={hasMore} onMore={loadMore} />
    </div>
  );
}
