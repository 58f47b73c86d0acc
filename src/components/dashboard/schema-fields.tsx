"use client";

import { useTranslations } from "next-intl";
import type { Asset, JsonSchema } from "../api/types";
import styles from "./dashboard.module.css";
import { enumValues } from "./pricing";

// Renders a generator's JSON Schema as form fields. The server labels the schema in the user's
// language (src/features/generators/server/field-labels.ts): each field's `title` (and hint in
// `description`), enum values in `x-enum-labels`. Without a label, the name is made readable.

/** Inputs holding an asset id (the API's asset ids are UUIDs): filled from uploads, not typed. */
export function isAssetField(name: string, schema: JsonSchema): boolean {
  return name === "image" || schema.format === "asset" || schema.format === "asset-id" || schema.format === "uuid";
}

/** A list of asset ids (a calendar's 12 images): picked in order from the uploads. */
export function isAssetListField(name: string, schema: JsonSchema): boolean {
  return typeOf(schema) === "array" && !!schema.items && (name === "images" || isAssetField("", schema.items));
}

/** The asset input the current image fills: `image`, else the first asset input. */
export function imageFieldOf(schema: JsonSchema): string | undefined {
  const entries = Object.entries(schema.properties ?? {});
  if (entries.some(([name]) => name === "image")) return "image";
  return entries.find(([name, field]) => isAssetField(name, field))?.[0];
}

/** A field's label: the server's localized title, else its name made readable. */
export function fieldLabel(name: string, schema: JsonSchema | undefined): string {
  return schema?.title ?? humanize(name);
}

/** An enum value's label: the server's localized one, else the value made readable. */
export function valueLabel(schema: JsonSchema | undefined, value: unknown): string {
  const key = String(value);
  return schema?.["x-enum-labels"]?.[key] ?? humanize(key);
}

/** "backgroundImage" -> "Background image": a readable label for a field nobody translated. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[-_]+/g, " ")
    .toLowerCase();
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
  const label = fieldLabel(name, schema);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hint = schema.title && schema.description ? schema.description : null;
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  const type = typeOf(schema);
  const values = enumValues(schema);
  const common = {
    id,
    name,
    className: "input",
    required,
    "aria-invalid": errors?.length ? true : undefined,
    "aria-describedby": describedBy,
  } as const;

  let control;
  if (values) {
    control = (
      <select {...common} defaultValue={schema.default === undefined ? "" : String(schema.default)}>
        {!required && <option value="">{name === "format" ? t("original") : t("auto")}</option>}
        {values.map((value) => (
          <option key={String(value)} value={String(value)}>
            {valueLabel(schema, value)}
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
    control = (
      <input {...common} type="text" defaultValue={typeof schema.default === "string" ? schema.default : undefined} />
    );
  }

  return (
    <div className={`field ${values ? styles.wide : ""}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

/** A field's validation errors, if any: the paragraph its input's aria-describedby points at. */
export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p id={id} className="field-error">
      {errors.join(" ")}
    </p>
  ) : null;
}

type AssetFieldProps = FieldProps & { choices: Asset[] | null };

/**
 * A second image input (a background image, say): one of the user's uploads, as a group of
 * thumbnails; "None" when the input is optional.
 */
export function AssetField({ name, schema, required, idPrefix, errors, choices }: AssetFieldProps) {
  const t = useTranslations("generator");
  const label = fieldLabel(name, schema);
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
            <input
              type="radio"
              name={name}
              value={asset.id}
              defaultChecked={required && index === 0}
              required={required}
            />
            {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
            <img src={asset.url} alt={asset.name ?? t("uploadAlt")} loading="lazy" />
          </label>
        ))}
      </div>
      {schema.description && <p className="hint">{schema.description}</p>}
      <FieldErrors id={errorId} errors={errors} />
    </fieldset>
  );
}

/**
 * Form values (strings) to the JSON the generator expects; empty optional fields are left out.
 * The image input gets `assetId`; other asset inputs come from their pickers, asset lists from
 * their hidden inputs in order.
 */
export function readInputs(form: FormData, schema: JsonSchema, assetId: string): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  const imageField = imageFieldOf(schema);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (name === imageField) {
      inputs[name] = assetId;
      continue;
    }
    if (isAssetListField(name, field)) {
      inputs[name] = form.getAll(name).map(String);
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
    const numeric =
      field.anyOf?.some((member) => member.type === "integer" || member.type === "number") &&
      /^-?\d+(\.\d+)?$/.test(raw);
    inputs[name] = type === "integer" || type === "number" || numeric ? Number(raw) : raw;
  }
  return inputs;
}
