"use client";

import { useTranslations } from "next-intl";
import { Fragment } from "react";
import type { Asset, Generator, JsonSchema } from "../api/types";
import { AssetListField } from "../generators/asset-list-field";
import styles from "./dashboard.module.css";
import { ModelField } from "./model-field";
import { modelFieldOf } from "./pricing";
import { isPromptField, PromptField } from "./prompt-field";
import { AssetField, isAssetField, isAssetListField, SchemaField } from "./schema-fields";

/** Inputs most people leave alone: folded under "More options". */
const advancedFields = new Set(["negativePrompt", "seed"]);

type Props = {
  generator: Generator;
  /** The fields to show (the image input is filled by the caller, not shown). */
  entries: [string, JsonSchema][];
  idPrefix: string;
  fieldErrors: Record<string, string[]>;
  choices: Asset[] | null;
  /** Starting values that replace the schema's defaults. */
  defaults?: Record<string, unknown>;
};

/** A generator's inputs as form fields, each as its kind asks: prompts, a model, uploads, plain values. */
export function GeneratorFields({ generator, entries, idPrefix, fieldErrors, choices, defaults }: Props) {
  const t = useTranslations("generator");
  const schema = generator.inputSchema;
  const required = new Set(schema.required ?? []);
  const modelField = modelFieldOf(generator);
  const errorsOf = (name: string) => fieldErrors[name] ?? fieldErrors[`inputs.${name}`];

  const render = ([name, schemaField]: [string, JsonSchema]) => {
    const field = defaults && name in defaults ? { ...schemaField, default: defaults[name] } : schemaField;
    const common = { name, idPrefix, errors: errorsOf(name) };
    return (
      <Fragment key={name}>
        {name === modelField ? (
          <ModelField generator={generator} {...common} />
        ) : isAssetListField(name, field) ? (
          <AssetListField schema={field} choices={choices} {...common} />
        ) : isAssetField(name, field) ? (
          <AssetField schema={field} required={required.has(name)} choices={choices} {...common} />
        ) : isPromptField(name, field) ? (
          <PromptField schema={field} required={required.has(name)} {...common} />
        ) : (
          <SchemaField schema={field} required={required.has(name)} {...common} />
        )}
        {/* Width and height sit side by side; the hint about leaving one empty spans both. */}
        {name === "height" && "width" in (schema.properties ?? {}) && (
          <p className={`hint ${styles.wide}`}>{t("hints.size")}</p>
        )}
      </Fragment>
    );
  };

  const main = entries.filter(([name]) => !advancedFields.has(name));
  const advanced = entries.filter(([name]) => advancedFields.has(name));
  // Open from the start when the server found a problem in one of the folded fields.
  const advancedError = advanced.some(([name]) => errorsOf(name)?.length);
  return (
    <>
      {main.map(render)}
      {advanced.length > 0 && (
        <details
          className={`${styles.wide} ${styles.more}`}
          open={advancedError || undefined}
          data-testid="more-options"
        >
          <summary>{t("moreOptions")}</summary>
          <div className={styles.fields}>{advanced.map(render)}</div>
        </details>
      )}
    </>
  );
}
