"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import styles from "./studio.module.css";
import { frameStyle, type Picture } from "./tools";

type Props = { before: Picture; after: Picture; beforeLabel: string; afterLabel: string };

/**
 * Before/after comparison: the after image fills the frame, the before image is drawn over it and
 * clipped to the slider's share. The slider is a real range input laid over the frame, so mouse,
 * touch and keyboard (arrows, Home, End) all move it and screen readers announce it.
 */
export function CompareSlider({ before, after, beforeLabel, afterLabel }: Props) {
  const t = useTranslations("studio");
  const clipId = useId();
  const [share, setShare] = useState(50);
  return (
    <div className={styles.compare} style={frameStyle(after)} data-testid="compare">
      {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
      <img src={after.url} alt={t("afterAlt")} className={styles.compareImage} data-testid="compare-after" />
      <div
        id={clipId}
        className={styles.compareBefore}
        style={{ clipPath: `inset(0 ${100 - share}% 0 0)` }}
        data-testid="compare-before"
        data-share={share}
      >
        {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
        <img src={before.url} alt={t("beforeAlt")} className={styles.compareImage} />
      </div>
      <div className={styles.compareDivider} style={{ left: `${share}%` }} aria-hidden="true" />
      <span className={`${styles.compareTag} ${styles.compareTagBefore}`} aria-hidden="true">
        {beforeLabel}
      </span>
      <span className={`${styles.compareTag} ${styles.compareTagAfter}`} aria-hidden="true">
        {afterLabel}
      </span>
      <input
        type="range"
        min={0}
        max={100}
        step={1}
        value={share}
        onChange={(event) => setShare(Number(event.currentTarget.value))}
        className={styles.compareRange}
        aria-label={t("compare")}
        aria-controls={clipId}
        aria-valuetext={t("compareValue", { before: share, after: 100 - share })}
      />
    </div>
  );
}
