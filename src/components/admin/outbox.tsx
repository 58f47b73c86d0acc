"use client";

import { useTranslations } from "next-intl";
import { Fragment } from "react";
import type { OutboxMessage } from "../api/types";
import { usePaged } from "../api/use-paged";
import { useFormatDateTime } from "../ui/format";
import { PageHead } from "../ui/page-head";
import { PagedStatus } from "../ui/paged-status";
import { AdminNav } from "./admin-nav";
import styles from "./outbox.module.css";

type Body = { messages: OutboxMessage[] };

/** Mail text with its links clickable, so an admin can follow a verification or reset link. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} rel="noreferrer">
            {part}
          </a>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export function Outbox() {
  const t = useTranslations("outbox");
  const formatDateTime = useFormatDateTime();
  const { items, loading, error } = usePaged<Body, OutboxMessage>("/api/v1/admin/outbox", (body) => ({
    items: body.messages,
    nextCursor: null,
    extra: undefined,
  }));

  return (
    <div className="stack">
      <AdminNav />
      <PageHead title={t("title")} lead={t("lead")} />
      <PagedStatus error={error} loading={loading} />
      {items?.length === 0 && <p className="muted">{t("empty")}</p>}
      <ul className={styles.list}>
        {items?.map((message) => (
          <li key={message.id} className="card">
            <h2 className={styles.subject}>{message.subject}</h2>
            <dl className={styles.meta}>
              <dt>{t("to")}</dt>
              <dd>{message.to}</dd>
              <dt>{t("sent")}</dt>
              <dd>{formatDateTime(message.createdAt)}</dd>
            </dl>
            <pre className={styles.text}>
              <Linkified text={message.text} />
            </pre>
          </li>
        ))}
      </ul>
    </div>
  );
}
