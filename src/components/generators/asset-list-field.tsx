"use client";

import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import type { Asset, JsonSchema } from "../api/types";
import { FieldErrors, fieldLabel } from "../dashboard/schema-fields";
import styles from "./generators.module.css";

/** z.array(...).length(n) as JSON Schema: minItems and maxItems. */
export type AssetListSchema = JsonSchema & { minItems?: number; maxItems?: number };

type Props = {
  name: string;
  schema: AssetListSchema;
  idPrefix: string;
  errors?: string[];
  /** The user's uploads to pick from; null while they load. */
  choices: Asset[] | null;
};

type Pick = { key: number; asset: Asset };

/**
 * An ordered list of assets (a calendar's 12 images): click uploads to add them in order, move
 * them up or down, remove them. The same upload may be added twice. The form reads the list from
 * hidden inputs, in order.
 */
export function AssetListField({ name, schema, idPrefix, errors, choices }: Props) {
  const t = useTranslations("generator.list");
  const [picked, setPicked] = useState<Pick[]>([]);
  const nextKey = useRef(0);
  const label = fieldLabel(name, schema);
  const errorId = `${idPrefix}-${name}-error`;
  const max = schema.maxItems;
  const full = max !== undefined && picked.length >= max;
  const room = max === undefined ? Infinity : max - picked.length;
  const unpicked = (choices ?? []).filter((asset) => !picked.some((p) => p.asset.id === asset.id));

  const add = (assets: Asset[]) =>
    setPicked((current) => [
      ...current,
      ...assets
        .slice(0, max === undefined ? undefined : Math.max(0, max - current.length))
        .map((asset) => ({ key: nextKey.current++, asset })),
    ]);
  const move = (index: number, by: -1 | 1) =>
    setPicked((current) => {
      const next = [...current];
      const [item] = next.splice(index, 1);
      if (item) next.splice(index + by, 0, item);
      return next;
    });
  const remove = (index: number) => setPicked((current) => current.filter((_, i) => i !== index));

  return (
    <fieldset
      className={styles.listField}
      aria-describedby={errors?.length ? errorId : undefined}
      data-testid={`asset-list-field-${name}`}
    >
      <legend className="label">{label}</legend>
      {schema.description && <p className="hint">{schema.description}</p>}
      <div className={styles.listHead}>
        <strong
          className={`pill ${styles.count}`}
          aria-live="polite"
          data-testid="asset-list-count"
          data-complete={full || undefined}
        >
          {max === undefined ? t("countOpen", { count: picked.length }) : t("count", { count: picked.length, max })}
        </strong>
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => add(unpicked)}
          disabled={full || unpicked.length === 0}
        >
          {t("addAll")}
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => setPicked([])}
          disabled={picked.length === 0}
        >
          {t("clear")}
        </button>
      </div>
      {picked.length === 0 ? (
        <p className="hint">{t("empty")}</p>
      ) : (
        <ol className={styles.picked} data-testid="asset-list-picked">
          {picked.map(({ key, asset }, index) => (
            <li key={key} className={styles.pickedItem}>
              <input type="hidden" name={name} value={asset.id} />
              <span className={styles.position}>{index + 1}</span>
              {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
              <img src={asset.url} alt={t("pickedAlt", { position: index + 1 })} />
              <span className={styles.moves}>
                <button
                  type="button"
                  className={styles.iconButton}
                  onClick={() => move(index, -1)}
                  disabled={index === 0}
                  aria-label={t("moveUp", { position: index + 1 })}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className={styles.iconButton}
                  onClick={() => move(index, 1)}
                  disabled={index === picked.length - 1}
                  aria-label={t("moveDown", { position: index + 1 })}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className={styles.iconButton}
                  onClick={() => remove(index)}
                  aria-label={t("remove", { position: index + 1 })}
                >
                  ×
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <p className="hint">
        {choices === null
          ? t("loading")
          : choices.length === 0
            ? t("noUploads")
            : full
              ? t("full", { max: max ?? 0 })
              : t("choices")}
      </p>
      {choices && choices.length > 0 && (
        <ul className={styles.choices} data-testid="asset-list-choices">
          {choices.map((asset, index) => (
            <li key={asset.id}>
              <button
                type="button"
                className={styles.choice}
                onClick={() => add([asset])}
                disabled={room <= 0}
                aria-label={t("add", { name: asset.name ?? String(index + 1) })}
              >
                {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
                <img src={asset.url} alt="" loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldErrors id={errorId} errors={errors} />
    </fieldset>
  );
}
