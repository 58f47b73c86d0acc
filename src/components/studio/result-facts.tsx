"use client";

import { useTranslations } from "next-intl";
import { humanize } from "../dashboard/schema-fields";
import styles from "./studio.module.css";

/** Facts that only make sense inside a sentence, or are too raw to list (face rectangles). */
const inSentences = new Set(["focus", "faceFound", "faces", "faceBoxes"]);

/**
 * What the tools reported about a step (job.result), e.g. { focus: "subject", faceFound: false }.
 * Facts we know become a sentence; any other simple fact is listed as it came.
 */
export function ResultFacts({ result }: { result: Record<string, unknown> | null | undefined }) {
  const t = useTranslations("studio.facts");
  if (!result) return null;
  const sentences: string[] = [];
  if (result.faceFound === false) sentences.push(t("noFace"));
  else if (result.focus === "face") {
    sentences.push(typeof result.faces === "number" ? t("faces", { count: result.faces }) : t("focus.face"));
  } else if (result.focus === "subject") sentences.push(t("focus.subject"));
  const rest = Object.entries(result).filter(
    ([key, value]) => !inSentences.has(key) && ["string", "number", "boolean"].includes(typeof value),
  );
  if (sentences.length === 0 && rest.length === 0) return null;
  return (
    <div className={styles.facts} data-testid="result-facts">
      {sentences.map((sentence) => (
        <p key={sentence} className="notice">
          {sentence}
        </p>
      ))}
      {rest.length > 0 && (
        <dl className={styles.factList}>
          {rest.map(([key, value]) => (
            <div key={key}>
              <dt>{humanize(key)}:</dt>
              <dd>{String(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
