"use client";

import { useTranslations } from "next-intl";
import { Fragment, useId, useState, type FormEvent } from "react";
import { api, ApiError, newIdempotencyKey } from "../api/client";
import type { Asset, Generator, Job } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { FormActions } from "../ui/form-actions";
import styles from "./dashboard.module.css";
import { isAssetField, readInputs, SchemaField } from "./schema-fields";

type Props = {
  generators: Generator[];
  asset: Asset | null;
  onJob: (job: Job) => void;
};

export function GeneratorForm({ generators, asset, onJob }: Props) {
  const t = useTranslations("generator");
  const errorMessage = useErrorMessage();
  const idPrefix = useId();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  const generator = generators.find((g) => g.id === selectedId) ?? generators[0];
  if (!generator) return <p className="muted">{t("starting")}</p>;
  const schema = generator.inputSchema;
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).filter(([name, field]) => !isAssetField(name, field));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!asset || !generator) return;
    const inputs = readInputs(new FormData(event.currentTarget), schema, asset.id);
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      const { job } = await api<{ job: Job }>("/api/v1/jobs", {
        method: "POST",
        headers: { "Idempotency-Key": newIdempotencyKey() },
        json: { generator: generator.id, inputs },
      });
      onJob(job);
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError) setFieldErrors(e.fields);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit}>
      {generators.length > 1 && (
        <div className="field">
          <label htmlFor={`${idPrefix}-generator`}>{t("pick")}</label>
          <select
            id={`${idPrefix}-generator`}
            className="input"
            value={generator.id}
            onChange={(event) => {
              setSelectedId(event.currentTarget.value);
              setFieldErrors({});
            }}
          >
            {generators.map((g) => (
              <option key={g.id} value={g.id}>
                {g.title}
              </option>
            ))}
          </select>
        </div>
      )}
      <p className="muted">{generator.description}</p>
      <fieldset key={generator.id} className={styles.fields} disabled={pending}>
        <legend className="visually-hidden">{generator.title}</legend>
        {fields.map(([name, field]) => (
          <Fragment key={name}>
            <SchemaField
              name={name}
              schema={field}
              required={required.has(name)}
              idPrefix={idPrefix}
              errors={fieldErrors[name] ?? fieldErrors[`inputs.${name}`]}
            />
            {/* Width and height sit side by side; the hint about leaving one empty spans both. */}
            {name === "height" && "width" in (schema.properties ?? {}) && (
              <p className={`hint ${styles.wide}`}>{t("hints.size")}</p>
            )}
          </Fragment>
        ))}
      </fieldset>
      {!asset && <p className="hint">{t("needImage")}</p>}
      <FormActions
        message={error}
        pending={pending}
        disabled={!asset}
        label={t("run", { title: generator.title, price: generator.price })}
        pendingLabel={t("starting")}
      />
    </form>
  );
}
