"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useState, type FormEvent } from "react";
import { api, ApiError, startJob } from "../api/client";
import type { Asset, Generator, Job } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { isUpgradeError, UpgradeDialog } from "../billing/upgrade-dialog";
import { FormActions } from "../ui/form-actions";
import styles from "./dashboard.module.css";
import { GeneratorFields } from "./generator-fields";
import { priceFor, startingInputs } from "./pricing";
import { ProviderNote } from "./provider-note";
import { imageFieldOf, isAssetField, isAssetListField, readInputs } from "./schema-fields";

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
  /** The button's text; by default "<title> · <price>" (the price for the inputs as they are now). */
  submitLabel?: (generator: Generator, price: number) => string;
  /** Uploads offered for other image inputs (a background image); loaded from the server when absent. */
  assetChoices?: Asset[];
  /** Disabled for another reason (a step already running, an upload not yet stored). */
  disabled?: boolean;
  /** Shown by the button while disabled: why the job cannot start yet. */
  disabledReason?: string;
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
  disabledReason,
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
  const [upgrade, setUpgrade] = useState<ApiError | null>(null);
  // The inputs as the form holds them, read on every change: the price follows them.
  const [live, setLive] = useState<{ generatorId: string; inputs: Record<string, unknown> } | null>(null);

  const generator = generators.find((g) => g.id === selectedId) ?? generators[0];
  const schema = generator?.inputSchema ?? {};
  const imageField = imageFieldOf(schema);
  const entries = Object.entries(schema.properties ?? {}).filter(([name]) => name !== imageField);
  const needsChoices = entries.some(([name, field]) => isAssetField(name, field) || isAssetListField(name, field));
  const loadedChoices = useUploadChoices(needsChoices && assetChoices === undefined);
  if (!generator) return <p className="muted">{t("starting")}</p>;
  const choices = assetChoices ?? loadedChoices;
  // A generator without an image input (a calendar takes a list of images) needs no current image.
  const needsImage = !onInputs && !asset && imageField !== undefined;
  const inputs = live?.generatorId === generator.id ? live.inputs : startingInputs(generator, defaults);
  const price = priceFor(generator, inputs);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!generator) return;
    if (onInputs) {
      onInputs(generator, readInputs(new FormData(event.currentTarget), schema, ""));
      return;
    }
    // Enter in a field submits even while the button is off: the same rule holds here.
    if (needsImage || disabled) return;
    const inputs = readInputs(new FormData(event.currentTarget), schema, asset?.id ?? "");
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      onJob?.(await startJob(generator.id, inputs));
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError) setFieldErrors(e.fields);
      if (isUpgradeError(e)) setUpgrade(e);
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      className="stack"
      onSubmit={submit}
      onChange={(event) =>
        setLive({ generatorId: generator.id, inputs: readInputs(new FormData(event.currentTarget), schema, "") })
      }
      data-testid="generator-form"
      data-generator={generator.id}
      data-price={price}
      data-asset-id={asset?.id}
    >
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
          <GeneratorFields
            generator={generator}
            entries={entries}
            idPrefix={idPrefix}
            fieldErrors={fieldErrors}
            choices={choices}
            defaults={defaults}
          />
        </fieldset>
      )}
      {disabled && disabledReason ? (
        <p className="hint" role="status" data-testid="run-blocked">
          {disabledReason}
        </p>
      ) : (
        needsImage && <p className="hint">{t("needImage")}</p>
      )}
      <ProviderNote generator={generator} />
      <FormActions
        message={error}
        pending={pending}
        disabled={needsImage || disabled || !generator.available}
        label={submitLabel ? submitLabel(generator, price) : t("run", { title: generator.title, price })}
        pendingLabel={t("starting")}
      />
      <UpgradeDialog error={upgrade} onClose={() => setUpgrade(null)} />
    </form>
  );
}
