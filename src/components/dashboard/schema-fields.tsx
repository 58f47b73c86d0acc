"use client";

import { useTranslations } from "next-intl";
import type { Asset, JsonSchema } from "../api/types";
import styles from "./dashboard.module.css";

// Renders a generator's JSON Schema as form fields. Field names and enum values we know get a
// translated label; anything else falls back to the schema's (server-localized) title, else to
// its name made readable.

const knownFields = ["width", "height", "fit", "format", "quality", "image"] as const;
const knownFit = ["cover", "contain", "fill", "inside", "outside"] as const;
const knownFormat = ["jpeg", "png", "webp", "avif"] as const;

type Known<T extends readonly string[]> = T[number];
const isIn = <T extends readonly string[]>(list: T, value: string): value is Known<T> => list.includes(value);

/** Inputs holding an asset id (the API's asset ids are UUIDs): filled from uploads, not typed. */
export function isAssetField(name: string, schema: JsonSchema): boolean {
  return name === "image" || schema.format === "asset" || schema.format === "asset-id" || schema.format === "uuid";
}

/** The asset input the current image fills: `image`, else the first asset input. */
export function imageFieldOf(schema: JsonSchema): string | undefined {
  const entries = Object.entries(schema.properties ?? {});
  if (entries.some(([name]) => name === "image")) return "image";
  return entries.find(([name, field]) => isAssetField(name, field))?.[0];
}

/** "backgroundImage" -> "Background image": a readable label for a field nobody translated. */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[-_]+/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function typeOf(schema: JsonSchema): string {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  return type ?? (schema.enum ? "string" : "string");
}

type FieldProps = {
  name: string;
  schema: JsonSchema;
  required: boolean;
  idPrefix: string;
  errors?: string[];
};

export function SchemaField({ name, schema, required, idPrefix, errors }: FieldProps) {
  const t = useTranslations("generator");
  const id = `${idPrefix}-${name}`;
  // "quality" is also the name of remove-background's standard/pro choice: not a 1-100 number.
  const known = isIn(knownFields, name) && !(name === "quality" && schema.enum);
  const label = known ? t(`fields.${name}`) : (schema.title ?? humanize(name));
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hint = schema.title && schema.description ? schema.description : null;
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  const type = typeOf(schema);
  const common = {
    id,
    name,
    className: "input",
    required,
    "aria-invalid": errors?.length ? true : undefined,
    "aria-describedby": describedBy,
  } as const;

  let control;
  if (schema.enum) {
    const optionLabel = (value: string) =>
      name === "fit" && isIn(knownFit, value)
        ? t(`fit.${value}`)
        : name === "format" && isIn(knownFormat, value)
          ? t(`format.${value}`)
          : humanize(value);
    control = (
      <select {...common} defaultValue={schema.default === undefined ? "" : String(schema.default)}>
        {!required && <option value="">{name === "format" ? t("original") : t("auto")}</option>}
        {schema.enum.map((value) => (
          <option key={String(value)} value={String(value)}>
            {optionLabel(String(value))}
          </option>
        ))}
      </select>
    );
  } else if (type === "boolean") {
    control = <input {...common} type="checkbox" className={undefined} defaultChecked={schema.default === true} />;
  } else if (type === "integer" || type === "number") {
    control = (
      <input
        {...common}
        type="number"
        inputMode={type === "integer" ? "numeric" : "decimal"}
        min={schema.minimum}
        max={schema.maximum}
        step={type === "integer" ? 1 : "any"}
        placeholder={required ? undefined : t("auto")}
        defaultValue={typeof schema.default === "number" ? schema.default : undefined}
      />
    );
  } else {
    control = <input {...common} type="text" defaultValue={typeof schema.default === "string" ? schema.default : undefined} />;
  }

  return (
    <div className={`field ${schema.enum ? styles.wide : ""}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={errorId} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

type AssetFieldProps = FieldProps & { choices: Asset[] | null };

/**
 * A second image input (a background image, say): one of the user's uploads, as a group of
 * thumbnails; "None" when the input is optional.
 */
export function AssetField({ name, schema, required, idPrefix, errors, choices }: AssetFieldProps) {
  const t = useTranslations("generator");
  const label = schema.title ?? humanize(name);
  const errorId = `${idPrefix}-${name}-error`;
  return (
    <fieldset
      className={`${styles.wide} ${styles.assetField}`}
      aria-describedby={errors?.length ? errorId : undefined}
      data-testid={`asset-field-${name}`}
    >
      <legend className="label">{label}</legend>
      {choices === null ? (
        <p className="hint">{t("loadingUploads")}</p>
      ) : choices.length === 0 ? (
        <p className="hint">{t("noUploads")}</p>
      ) : null}
      <div className={styles.assetChoices}>
        {!required && (
          <label className={styles.assetChoice}>
            <input type="radio" name={name} value="" defaultChecked />
            <span className={styles.assetNone}>{t("noAsset")}</span>
          </label>
        )}
        {(choices ?? []).map((asset, index) => (
          <label key={asset.id} className={styles.assetChoice}>
            <input type="radio" name={name} value={asset.id} defaultChecked={required && index === 0} required={required} />
            {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
            <img src={asset.url} alt={asset.name ?? t("uploadAlt")} loading="lazy" />
          </label>
        ))}
      </div>
      {schema.description && <p className="hint">{schema.description}</p>}
      {errors?.length ? (
        <p id={errorId} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * Form values (strings) to the JSON the generator expects; empty optional fields are left out.
 * The image input gets `assetId`; other asset inputs come from their pickers.
 */
export function readInputs(form: FormData, schema: JsonSchema, assetId: string): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  const imageField = imageFieldOf(schema);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (name === imageField) {
      inputs[name] = assetId;
      continue;
    }
    const type = typeOf(field);
    if (type === "boolean") {
      inputs[name] = form.get(name) === "on";
      continue;
    }
    const raw = String(form.get(name) ?? "").trim();
    if (raw === "") continue;
    // A union such as `number | "max"` (rounded corners): numbers typed in are sent as numbers.
    const numeric = field.anyOf?.some((member) => member.type === "integer" || member.type === "number") && /^-?\d+(\.\d+)?$/.test(raw);
    inputs[name] = type === "integer" || type === "number" || numeric ? Number(raw) : raw;
  }
  return inputs;
}
