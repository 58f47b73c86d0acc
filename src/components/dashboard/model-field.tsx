"use client";

import { useTranslations } from "next-intl";
import type { Generator } from "../api/types";
import styles from "./dashboard.module.css";
import { modelsOf, preselectedModel } from "./pricing";
import { FieldErrors, fieldLabel, valueLabel } from "./schema-fields";

type Props = { generator: Generator; name: string; idPrefix: string; errors?: string[] };

/**
 * The model choice: each model with its price per image; models no provider here can run are shown
 * but disabled, and the first one that can run is preselected.
 */
export function ModelField({ generator, name, idPrefix, errors }: Props) {
  const t = useTranslations("generator");
  const tc = useTranslations("common");
  const schema = generator.inputSchema.properties?.[name];
  const prices = generator.pricing.byInput?.prices ?? {};
  const id = `${idPrefix}-${name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const models = modelsOf(generator);
  const blocked = models.filter((model) => generator.models?.[model] === false);

  return (
    <div className={`field ${styles.wide}`}>
      <label htmlFor={id}>{fieldLabel(name, schema)}</label>
      <select
        id={id}
        name={name}
        className="input"
        defaultValue={preselectedModel(generator)}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={
          [blocked.length > 0 ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(" ") || undefined
        }
        data-testid="model-select"
      >
        {models.map((model) => {
          const runnable = generator.models?.[model] !== false;
          const price = tc("credits", { count: prices[model] ?? generator.pricing.base });
          return (
            <option key={model} value={model} disabled={!runnable}>
              {runnable
                ? t("modelOption", { model: valueLabel(schema, model), price })
                : t("modelOptionBlocked", { model: valueLabel(schema, model), price })}
            </option>
          );
        })}
      </select>
      {blocked.length > 0 && blocked.length < models.length && (
        <p id={hintId} className="hint">
          {t("modelsBlocked")}
        </p>
      )}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}
