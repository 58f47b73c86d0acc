"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { api, ApiError } from "../api/client";
import { useErrorMessage } from "../api/use-error-message";
import { Notice } from "../ui/notice";
import styles from "./admin.module.css";
import { useOptionalMessage } from "./optional-message";
import type { CapabilityOrder } from "./types";

type Answer = { order: Record<string, string[]>; capabilities: CapabilityOrder[] };

/** Moves one entry of a list by one place (up: -1, down: +1). */
export function moveItem<T>(list: T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return list;
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/**
 * The fallback order per capability, edited with up/down buttons (usable with a keyboard and a
 * screen reader: each button names the provider and capability, and focus follows the moved row).
 */
export function ProviderOrderEditor() {
  const t = useTranslations("adminProviders");
  const errorMessage = useErrorMessage();
  const [capabilities, setCapabilities] = useState<CapabilityOrder[] | null>(null);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  // A new object on every move, so focus is restored even when the same row moves twice.
  const [focus, setFocus] = useState<{ id: string } | null>(null);

  useEffect(() => {
    let active = true;
    api<Answer>("/api/v1/admin/provider-order", { cache: "no-store" })
      .then((answer) => active && setCapabilities(answer.capabilities))
      .catch((error: unknown) => active && setMessage({ tone: "error", text: errorMessage(error) }));
    return () => {
      active = false;
    };
  }, [errorMessage]);

  useEffect(() => {
    if (focus) document.getElementById(focus.id)?.focus();
  }, [focus]);

  const optional = useOptionalMessage("adminProviders");
  const capabilityName = (capability: string) => optional(`capabilityNames.${capability}`, capability);

  function move(capability: string, index: number, by: -1 | 1) {
    if (!capabilities) return;
    const entry = capabilities.find((c) => c.capability === capability);
    const provider = entry?.providers[index];
    if (!entry || !provider) return;
    const providers = moveItem(entry.providers, index, by);
    setCapabilities(capabilities.map((c) => (c.capability === capability ? { ...c, providers } : c)));
    setMessage(null);
    // At the top or bottom the pressed button turns disabled: focus its sibling instead.
    const newIndex = index + by;
    const edge = newIndex === 0 || newIndex === providers.length - 1;
    const direction = edge ? (by === -1 ? "down" : "up") : by === -1 ? "up" : "down";
    setFocus({ id: `order-${capability}-${provider.id}-${direction}` });
  }

  async function save() {
    if (!capabilities) return;
    setPending(true);
    setMessage(null);
    try {
      const order = Object.fromEntries(capabilities.map((c) => [c.capability, c.providers.map((p) => p.id)]));
      const answer = await api<Answer>("/api/v1/admin/provider-order", { method: "PUT", json: { order } });
      setCapabilities(answer.capabilities);
      setMessage({ tone: "success", text: t("order.saved") });
    } catch (error) {
      const fields = error instanceof ApiError ? Object.values(error.fields).flat().join(" ") : "";
      setMessage({ tone: "error", text: [errorMessage(error), fields].filter(Boolean).join(" ") });
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="provider-order-title" data-testid="provider-order">
      <div>
        <h2 id="provider-order-title">{t("order.title")}</h2>
        <p className="muted small">{t("order.lead")}</p>
      </div>
      {capabilities?.length === 0 && <p className="muted">{t("order.empty")}</p>}
      {capabilities?.map((entry) => (
        <div key={entry.capability} className={styles.orderGroup} data-capability={entry.capability}>
          <h3 className={styles.orderTitle}>{capabilityName(entry.capability)}</h3>
          <ol className={styles.orderList}>
            {entry.providers.map((provider, index) => (
              <li key={provider.id} className={styles.orderItem} data-provider={provider.id}>
                <span>{provider.name}</span>
                <span className={styles.orderButtons}>
                  <button
                    type="button"
                    id={`order-${entry.capability}-${provider.id}-up`}
                    className="button button-secondary button-small"
                    aria-label={t("order.moveUp", {
                      provider: provider.name,
                      capability: capabilityName(entry.capability),
                    })}
                    disabled={index === 0}
                    onClick={() => move(entry.capability, index, -1)}
                  >
                    <span aria-hidden="true">↑</span>
                  </button>
                  <button
                    type="button"
                    id={`order-${entry.capability}-${provider.id}-down`}
                    className="button button-secondary button-small"
                    aria-label={t("order.moveDown", {
                      provider: provider.name,
                      capability: capabilityName(entry.capability),
                    })}
                    disabled={index === entry.providers.length - 1}
                    onClick={() => move(entry.capability, index, 1)}
                  >
                    <span aria-hidden="true">↓</span>
                  </button>
                </span>
              </li>
            ))}
          </ol>
        </div>
      ))}
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {capabilities && capabilities.length > 0 && (
        <div>
          <button type="button" className="button" disabled={pending} onClick={() => void save()}>
            {t("order.save")}
          </button>
        </div>
      )}
    </section>
  );
}
