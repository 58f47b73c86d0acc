"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { Asset, Job } from "../api/types";
import { GeneratorForm } from "../dashboard/generator-form";
import styles from "./studio.module.css";
import { isKnownCategory, type ToolGroup } from "./tools";

type Props = {
  groups: ToolGroup[];
  /** The image the tool works on (the current step's output). */
  image: { id: string } | null;
  uploads: Asset[];
  /** The generators have loaded (an empty list then means there are no tools). */
  ready: boolean;
  locked: boolean;
  onJob: (job: Job) => void;
};

/** The studio's tools by category; choosing one opens its options, with the price on the button. */
export function ToolPanel({ groups, image, uploads, ready, locked, onJob }: Props) {
  const t = useTranslations("studio");
  const tc = useTranslations("common");
  const [openId, setOpenId] = useState<string | null>(null);
  const tool = groups.flatMap((g) => g.tools).find((g) => g.id === openId);
  const categoryName = (category: string) => (isKnownCategory(category) ? t(`categories.${category}`) : category);

  if (tool) {
    return (
      <div className="stack" data-testid="tool-options">
        <button type="button" className={`${styles.back} button button-small button-secondary`} onClick={() => setOpenId(null)}>
          {t("allTools")}
        </button>
        <h3 className={styles.toolHeading}>{tool.title}</h3>
        <GeneratorForm
          key={tool.id}
          generators={[tool]}
          asset={image}
          assetChoices={uploads}
          disabled={locked}
          onJob={onJob}
        />
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
                <button type="button" className={styles.tool} onClick={() => setOpenId(g.id)} data-testid="tool" data-generator={g.id}>
                  <span className={styles.toolText}>
                    <strong>{g.title}</strong>
                    <span className="hint">{g.description}</span>
                  </span>
                  <span className={`pill ${styles.toolPrice}`}>{tc("credits", { count: g.price })}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
