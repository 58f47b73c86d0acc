"use client";

import { useTranslations } from "next-intl";
import type { Asset, Job } from "../api/types";
import { GeneratorForm } from "../dashboard/generator-form";
import { hasVariablePrice, lowestPrice } from "../dashboard/pricing";
import { ProviderNote } from "../dashboard/provider-note";
import styles from "./studio.module.css";
import { isKnownCategory, takesMask, type Picture, type ToolGroup } from "./tools";

type Props = {
  groups: ToolGroup[];
  /** The image the tool works on (the current step's output). */
  picture: Picture | null;
  uploads: Asset[];
  /** The generators have loaded (an empty list then means there are no tools). */
  ready: boolean;
  locked: boolean;
  onJob: (job: Job) => void;
  /** The tool whose options are open (null: the list); the studio paints masks on its stage. */
  openId: string | null;
  onOpen: (id: string | null) => void;
};

/**
 * The studio's tools by category; choosing one opens its options, with the price on the button.
 * Tools that need an AI provider this server lacks are listed with a note, and say what to set.
 */
export function ToolPanel({ groups, picture, uploads, ready, locked, onJob, openId, onOpen }: Props) {
  const t = useTranslations("studio");
  const tc = useTranslations("common");
  const tool = groups.flatMap((g) => g.tools).find((g) => g.id === openId);
  const categoryName = (category: string) => (isKnownCategory(category) ? t(`categories.${category}`) : category);

  if (tool) {
    return (
      <div className="stack" data-testid="tool-options">
        <button
          type="button"
          className={`${styles.back} button button-small button-secondary`}
          onClick={() => onOpen(null)}
        >
          {t("allTools")}
        </button>
        <h3 className={styles.toolHeading}>{tool.title}</h3>
        {takesMask(tool) ? (
          // The brush works on the picture itself, on the stage; this says so.
          <>
            <p className="muted">{tool.description}</p>
            <p className="hint">{picture ? t("mask.onStage") : t("empty")}</p>
            {!picture && <ProviderNote generator={tool} />}
          </>
        ) : (
          <GeneratorForm
            key={tool.id}
            generators={[tool]}
            asset={picture ? { id: picture.assetId } : null}
            assetChoices={uploads}
            disabled={locked}
            onJob={onJob}
          />
        )}
        {locked && <p className="hint">{t("waitForStep")}</p>}
      </div>
    );
  }

  if (groups.length === 0) return <p className="muted">{ready ? t("noTools") : tc("loading")}</p>;
  return (
    <div className="stack">
      {groups.map((group) => (
        <section key={group.category} aria-labelledby={`tools-${group.category}`} className={styles.toolGroup}>
          <h3 id={`tools-${group.category}`} className={styles.groupHeading}>
            {categoryName(group.category)}
          </h3>
          <ul className={styles.toolList}>
            {group.tools.map((g) => (
              <li key={g.id}>
                <button
                  type="button"
                  className={styles.tool}
                  onClick={() => onOpen(g.id)}
                  data-testid="tool"
                  data-generator={g.id}
                  data-available={g.available}
                >
                  <span className={styles.toolText}>
                    <strong>{g.title}</strong>
                    <span className="hint">{g.description}</span>
                    {!g.available && <span className={styles.toolUnavailable}>{t("needsProvider")}</span>}
                  </span>
                  <span className={`pill ${styles.toolPrice}`}>
                    {hasVariablePrice(g)
                      ? t("priceFrom", { price: lowestPrice(g) })
                      : tc("credits", { count: g.price })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
