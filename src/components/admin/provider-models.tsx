"use client";

import { useTranslations } from "next-intl";
import styles from "./admin.module.css";
import { useFormatMicros } from "./money";
import { useOptionalMessage } from "./optional-message";
import type { ProviderView } from "./types";

/** A provider's models with what each costs the operator, or the capabilities it serves without models. */
export function ProviderModels({ provider }: { provider: ProviderView }) {
  const t = useTranslations("adminProviders");
  const formatMicros = useFormatMicros();
  const optional = useOptionalMessage("adminProviders");
  const capabilityName = (capability: string) => optional(`capabilityNames.${capability}`, capability);

  if (provider.models.length === 0) {
    return provider.capabilities.length > 0 ? (
      <p className="hint">{t("serves", { capabilities: provider.capabilities.map(capabilityName).join(", ") })}</p>
    ) : null;
  }
  return (
    <details className={styles.models}>
      <summary>{t("models")}</summary>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">{t("model")}</th>
            <th scope="col">{t("capabilities")}</th>
            <th scope="col" className={styles.number}>
              {t("cost")}
            </th>
          </tr>
        </thead>
        <tbody>
          {provider.models.map((model) => (
            <tr key={model.id} data-testid="provider-model" data-model={model.id}>
              <td data-label={t("model")}>
                <code>{model.id}</code>
                {model.family && model.family !== model.id && <span className={styles.detail}>{model.family}</span>}
              </td>
              <td data-label={t("capabilities")}>{model.capabilities.map(capabilityName).join(", ")}</td>
              <td data-label={t("cost")} className={styles.number}>
                {t(`units.${model.unit}`, { cost: formatMicros(model.costMicros) })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
