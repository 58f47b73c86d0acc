"use client";

import { useLocale, useTranslations } from "next-intl";
import { ledgerKinds } from "@/features/credits/ledger-kinds";
import type { LedgerEntry, LedgerKind } from "../api/types";
import { usePaged } from "../api/use-paged";
import { useFormatDateTime } from "../ui/format";
import { PagedStatus } from "../ui/paged-status";
import styles from "./billing.module.css";

type Body = { entries: LedgerEntry[]; nextCursor: string | null };

const isKnownKind = (kind: string): kind is LedgerKind => (ledgerKinds as readonly string[]).includes(kind);
const num = (value: unknown) => (typeof value === "number" ? value : 0);

/** The statement with what billing adds: which pack or plan, the admin's note, refunds and debt. */
export function RecentEntries() {
  const t = useTranslations("billing");
  const ts = useTranslations("statement");
  const locale = useLocale();
  const formatDateTime = useFormatDateTime();
  const signed = new Intl.NumberFormat(locale, { signDisplay: "exceptZero" });
  const { items, hasMore, loading, error, loadMore } = usePaged<Body, LedgerEntry>(
    "/api/v1/ledger?limit=25",
    (body) => ({
      items: body.entries,
      nextCursor: body.nextCursor,
      extra: undefined,
    }),
  );

  function detail(entry: LedgerEntry): string | null {
    const meta = entry.meta ?? {};
    if (typeof meta.memo === "string") return t("details.memo", { memo: meta.memo });
    if (typeof meta.debtPaid === "number") return t("details.debtPaid", { left: num(meta.debtLeft) });
    if (entry.kind === "clawback") return t("details.clawback", { reversed: num(meta.reversed), debt: num(meta.debt) });
    if (typeof meta.plan === "string" && meta.plan in { free: 1, starter: 1, pro: 1, business: 1 }) {
      return t("details.plan", { plan: t(`planNames.${meta.plan}` as "planNames.free") });
    }
    if (entry.kind === "purchase") return t("details.pack", { count: entry.amount });
    return null;
  }

  function describe(entry: LedgerEntry): string {
    if (entry.kind === "capture" && typeof entry.meta?.captured === "number")
      return ts("charged", { amount: entry.meta.captured });
    return isKnownKind(entry.kind) ? ts(`kinds.${entry.kind}`) : ts("kinds.other");
  }

  return (
    <>
      {items && items.length === 0 && <p className="muted">{ts("empty")}</p>}
      {items && items.length > 0 && (
        <ul className={`card ${styles.entries}`}>
          {items.map((entry) => {
            const extra = detail(entry);
            return (
              <li key={entry.id} data-testid="billing-entry" data-kind={entry.kind}>
                <span className={styles.entryText}>
                  <span>{describe(entry)}</span>
                  {extra && <span className="muted small">{extra}</span>}
                  <span className="muted small">{formatDateTime(entry.createdAt)}</span>
                </span>
                <span
                  className={`${styles.entryAmount} ${entry.amount > 0 ? styles.plus : entry.amount < 0 ? styles.minus : ""}`}
                >
                  {signed.format(entry.amount)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <PagedStatus error={error} loading={loading} hasMore={hasMore} onMore={loadMore} />
    </>
  );
}
