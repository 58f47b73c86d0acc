"use client";

import { useTranslations } from "next-intl";
import { Fragment, useEffect, useId, useState, type FormEvent } from "react";
import { api, ApiError, startJob } from "../api/client";
import type { Asset, Generator, Job } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { FormActions } from "../ui/form-actions";
import styles from "./dashboard.module.css";
import { AssetListField } from "../generators/asset-list-field";
import { AssetField, imageFieldOf, isAssetField, isAssetListField, readInputs, SchemaField } from "./schema-fields";

type Props = {
  generators: Generator[];
  /** The image the generator's image input gets (an upload, or a studio step's output). */
  asset: Pick<Asset, "id"> | null;
  /** Called with the accepted job (not used with onInputs). */
  onJob?: (job: Job) => void;
  /**
   * Instead of starting a job, hand the inputs over (batch mode collects steps this way); the image
   * input is then left empty for the caller to fill, and no image is needed.
   */
  onInputs?: (generator: Generator, inputs: Record<string, unknown>) => void;
  /** The button's text; by default "<title> · <price>". */
  submitLabel?: (generator: Generator) => string;
  /** Uploads offered for other image inputs (a background image); loaded from the server when absent. */
  assetChoices?: Asset[];
  /** Disabled for another reason (a step already running). */
  disabled?: boolean;
  /** Starting values that replace the schema's defaults (a calendar's year: next year). */
  defaults?: Record<string, unknown>;
  /** The generator's description above the fields; off where the page already shows it. */
  showDescription?: boolean;
};

/** The user's recent uploads, loaded only when a generator needs them and the caller has none. */
function useUploadChoices(wanted: boolean): Asset[] | null {
  const [uploads, setUploads] = useState<Asset[] | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let active = true;
    api<{ assets: Asset[] }>("/api/v1/assets?kind=upload&limit=24", { cache: "no-store" })
      .then((body) => active && setUploads(body.assets))
      .catch(() => active && setUploads([]));
    return () => {
      active = false;
    };
  }, [wanted]);
  return uploads;
}

export function GeneratorForm({
  generators,
  asset,
  onJob,
  onInputs,
  submitLabel,
  assetChoices,
  disabled = false,
  defaults,
  showDescription = true,
}: Props) {
  const t = useTranslations("generator");
  const errorMessage = useErrorMessage();
  const idPrefix = useId();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  const generator = generators.find((g) => g.id === selectedId) ?? generators[0];
  const schema = generator?.inputSchema ?? {};
  const imageField = imageFieldOf(schema);
  const entries = Object.entries(schema.properties ?? {}).filter(([name]) => name !== imageField);
  const needsChoices = entries.some(([name, field]) => isAssetField(name, field) || isAssetListField(name, field));
  const loadedChoices = useUploadChoices(needsChoices && assetChoices === undefined);
  if (!generator) return <p className="muted">{t("starting")}</p>;
  const required = new Set(schema.required ?? []);
  const choices = assetChoices ?? loadedChoices;
  // A generator without an image input (a calendar takes a list of images) needs no current image.
  const needsImage = !onInputs && !asset && imageField !== undefined;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!generator) return;
    if (onInputs) {
      onInputs(generator, readInputs(new FormData(event.currentTarget), schema, ""));
      return;
    }
    if (needsImage) return;
    const inputs = readInputs(new FormData(event.currentTarget), schema, asset?.id ?? "");
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      onJob?.(await startJob(generator.id, inputs));
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError) setFieldErrors(e.fields);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} data-testid="generator-form" data-generator={generator.id}>
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
      {showDescription && <p className="muted">{generator.description}</p>}
      {entries.length > 0 && (
        <fieldset key={generator.id} className={styles.fields} disabled={pending || disabled}>
          <legend className="visually-hidden">{generator.title}</legend>
          {entries.map(([name, schemaField]) => {
            const field = defaults && name in defaults ? { ...schemaField, default: defaults[name] } : schemaField;
            return (
              <Fragment key={name}>
                {isAssetListField(name, field) ? (
                  <AssetListField
                    name={name}
                    schema={field}
                    idPrefix={idPrefix}
                    errors={fieldErrors[name] ?? fieldErrors[`inputs.${name}`]}
                    choices={choices}
                  />
                ) : isAssetField(name, field) ? (
                  <AssetField
                    name={name}
                    schema={field}
                    required={required.has(name)}
                    idPrefix={idPrefix}
                    errors={fieldErrors[name] ?? fieldErrors[`inputs.${name}`]}
                    choices={choices}
                  />
                ) : (
                  <SchemaField
                    name={name}
                    schema={field}
                    required={required.has(name)}
                    idPrefix={idPrefix}
                    errors={fieldErrors[name] ?? fieldErrors[`inputs.${name}`]}
                  />
                )}
                {/* Width and height sit side by side; the hint about leaving one empty spans both. */}
                {name === "height" && "width" in (schema.properties ?? {}) && (
                  <p className={`hint ${styles.wide}`}>{t("hints.size")}</p>
                )}
              </Fragment>
            );
          })}
        </fieldset>
      )}
      {needsImage && <p className="hint">{t("needImage")}</p>}
      <FormActions
        message={error}
        pending={pending}
        disabled={needsImage || disabled}
        label={submitLabel ? submitLabel(generator) : t("run", { title: generator.title, price: generator.price })}
        pendingLabel={t("starting")}
      />
    </form>
  );
}
