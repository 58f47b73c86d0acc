"use client";

import { useTranslations } from "next-intl";
import type { Generator, Job } from "../api/types";
import styles from "./studio.module.css";
import { useSummarizeInputs } from "./use-summarize-inputs";

type Props = {
  originalName: string;
  steps: Job[];
  at: number;
  generators: Generator[];
  /** No moving while a step runs: its image is the one in effect. */
  locked: boolean;
  onGoTo: (at: number) => void;
};

/** The applied steps, oldest first, with undo and redo; undone steps stay until a new step replaces them. */
export function StepHistory({ originalName, steps, at, generators, locked, onGoTo }: Props) {
  const t = useTranslations("studio");
  const summarize = useSummarizeInputs();
  const byId = new Map(generators.map((g) => [g.id, g]));

  return (
    <section className={styles.history} aria-labelledby="history-heading">
      <div className={styles.historyHead}>
        <h2 id="history-heading" className={styles.subheading}>
          {t("history")}
        </h2>
        <div className={styles.historyButtons}>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={locked || at === 0}
            onClick={() => onGoTo(at - 1)}
            aria-keyshortcuts="Control+Z"
          >
            {t("undo")}
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={locked || at >= steps.length}
            onClick={() => onGoTo(at + 1)}
            aria-keyshortcuts="Control+Shift+Z"
          >
            {t("redo")}
          </button>
        </div>
      </div>
      <ol className={styles.steps} data-testid="history">
        <li>
          <button
            type="button"
            className={styles.step}
            aria-current={at === 0 ? "step" : undefined}
            disabled={locked}
            onClick={() => onGoTo(0)}
            data-testid="history-step"
            data-state={at === 0 ? "current" : "applied"}
          >
            <span className={styles.stepNumber}>0</span>
            <span className={styles.stepText}>
              <strong>{t("original")}</strong>
              <span className="hint">{originalName}</span>
            </span>
          </button>
        </li>
        {steps.map((job, index) => {
          const generator = byId.get(job.generator);
          const number = index + 1;
          const state = number === at ? "current" : number < at ? "applied" : "undone";
          const summary = summarize(generator, job.inputs);
          return (
            <li key={job.id}>
              <button
                type="button"
                className={styles.step}
                aria-current={state === "current" ? "step" : undefined}
                disabled={locked}
                onClick={() => onGoTo(number)}
                data-testid="history-step"
                data-state={state}
                data-generator={job.generator}
              >
                <span className={styles.stepNumber}>{number}</span>
                <span className={styles.stepText}>
                  <strong>{generator?.title ?? job.generator}</strong>
                  <span className="hint">
                    {[summary, t("stepPrice", { price: job.price }), state === "undone" ? t("undone") : ""]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      {at < steps.length && <p className="hint">{t("redoHint")}</p>}
    </section>
  );
}
