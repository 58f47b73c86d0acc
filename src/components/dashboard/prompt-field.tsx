"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { JsonSchema } from "../api/types";
import styles from "./dashboard.module.css";
import { FieldErrors, fieldLabel } from "./schema-fields";

type Props = { name: string; schema: JsonSchema; required: boolean; idPrefix: string; errors?: string[] };

/** Free text the generator takes as words (a prompt): several lines, with the count against the limit. */
export function isPromptField(name: string, schema: JsonSchema): boolean {
  if (name === "prompt" || name === "negativePrompt") return true;
  return schema.type === "string" && !schema.enum && !schema.format && (schema.maxLength ?? 0) >= 200;
}

export function PromptField({ name, schema, required, idPrefix, errors }: Props) {
  const t = useTranslations("generator");
  const initial = typeof schema.default === "string" ? schema.default : "";
  const [length, setLength] = useState(initial.length);
  const id = `${idPrefix}-${name}`;
  const countId = `${id}-count`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hint = schema.title && schema.description ? schema.description : null;
  const max = schema.maxLength;
  const describedBy = [hint ? hintId : null, countId, errors?.length ? errorId : null].filter(Boolean).join(" ");

  return (
    <div className={`field ${styles.wide}`}>
      <label htmlFor={id}>{fieldLabel(name, schema)}</label>
      <textarea
        id={id}
        name={name}
        className={`input ${styles.prompt}`}
        rows={name === "prompt" ? 4 : 2}
        required={required}
        minLength={schema.minLength}
        maxLength={max}
        defaultValue={initial}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        onInput={(event) => setLength(event.currentTarget.value.length)}
      />
      <div className={styles.promptFoot}>
        {hint ? (
          <p id={hintId} className="hint">
            {hint}
          </p>
        ) : (
          <span />
        )}
        <span
          id={countId}
          className={`hint ${styles.promptCount}`}
          data-testid={`count-${name}`}
          data-full={max !== undefined && length >= max ? true : undefined}
        >
          {max === undefined ? t("characters", { count: length }) : t("charactersOf", { count: length, max })}
        </span>
      </div>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}
