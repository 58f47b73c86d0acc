"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { api } from "../api/client";
import { useErrorMessage } from "../api/use-error-message";
import { Notice } from "../ui/notice";

type Props = {
  /** A pack or plan to buy through Stripe Checkout, or the Customer Portal. */
  target: { kind: "pack" | "plan"; id: string } | "portal";
  label: string;
  disabled?: boolean;
  secondary?: boolean;
};

/** Asks the server for a Stripe page (Checkout or the portal) and goes there. */
export function BuyButton({ target, label, disabled = false, secondary = false }: Props) {
  const t = useTranslations("billing");
  const errorMessage = useErrorMessage();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function go() {
    setPending(true);
    setError(null);
    try {
      const { url } =
        target === "portal"
          ? await api<{ url: string }>("/api/v1/billing/portal", { method: "POST" })
          : await api<{ url: string }>("/api/v1/billing/checkout", { method: "POST", json: target });
      window.location.assign(url);
    } catch (e) {
      setError(errorMessage(e));
      setPending(false);
    }
  }

  const testId = target === "portal" ? "billing-portal" : `buy-${target.kind}-${target.id}`;
  return (
    <>
      <button
        type="button"
        className={`button button-block${secondary ? " button-secondary" : ""}`}
        disabled={disabled || pending}
        onClick={go}
        data-testid={testId}
      >
        {pending ? t("opening") : label}
      </button>
      {error && <Notice>{error}</Notice>}
    </>
  );
}
