"use client";

import { useTranslations } from "next-intl";
import type { JsonSchema } from "../api/types";
import styles from "./dashboard.module.css";

// Renders a generator's JSON Schema as form fields. Field names and enum values we know get a
// translated label; anything else falls back to the schema's (server-localized) title.

const knownFields = ["width", "height", "fit", "format", "quality", "image"] as const;
const knownFit = ["cover", "contain", "fill", "inside", "outside"] as const;
const knownFormat = ["jpeg", "png", "webp", "avif"] as const;

type Known<T extends readonly string[]> = T[number];
const isIn = <T extends readonly string[]>(list: T, value: string): value is Known<T> => list.includes(value);

/** Fields the user fills in; asset inputs are taken from the uploaded image instead. */
export function isAssetField(name: string, schema: JsonSchema): boolean {
  return name === "image" || schema.format === "asset" || schema.format === "asset-id";
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
  const label = isIn(knownFields, name) ? t(`fields.${name}`) : (schema.title ?? name);
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
          : value;
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

/** Form values (strings) to the JSON the generator expects; empty optional fields are left out. */
export function readInputs(form: FormData, schema: JsonSchema, assetId: string): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (isAssetField(name, field)) {
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
    inputs[name] = type === "integer" || type === "number" ? Number(raw) : raw;
  }
  return inputs;
}
