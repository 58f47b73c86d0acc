"use client";

import { useTranslations } from "next-intl";
import { priceFor } from "../dashboard/pricing";
import { useSummarizeInputs } from "../studio/use-summarize-inputs";
import styles from "./batch.module.css";
import type { BatchStep } from "./run-batch";

type Props = {
  steps: BatchStep[];
  editable: boolean;
  onRemove: (key: number) => void;
  onMoveUp: (key: number) => void;
};

/** The steps every image goes through, in order. */
export function BatchSteps({ steps, editable, onRemove, onMoveUp }: Props) {
  const t = useTranslations("batch");
  const tc = useTranslations("common");
  const summarize = useSummarizeInputs();
  if (steps.length === 0) return <p className="muted">{t("noSteps")}</p>;
  return (
    <ol className={styles.steps} data-testid="batch-steps">
      {steps.map((step, index) => (
        <li key={step.key} className={styles.step} data-testid="batch-step" data-generator={step.generator.id}>
          <span className={styles.stepNumber}>{index + 1}</span>
          <span className={styles.stepText}>
            <strong>{step.generator.title}</strong>
            <span className="hint">
              {[summarize(step.generator, step.inputs), tc("credits", { count: priceFor(step.generator, step.inputs) })]
                .filter(Boolean)
                .join(" · ")}
            </span>
          </span>
          {editable && (
            <span className={styles.stepButtons}>
              {index > 0 && (
                <button
                  type="button"
                  className="button button-small button-secondary"
                  onClick={() => onMoveUp(step.key)}
                  aria-label={t("moveUp", { title: step.generator.title, number: index + 1 })}
                >
                  ↑
                </button>
              )}
              <button
                type="button"
                className="button button-small button-secondary"
                onClick={() => onRemove(step.key)}
                aria-label={t("removeStep", { title: step.generator.title, number: index + 1 })}
              >
                {t("remove")}
              </button>
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
