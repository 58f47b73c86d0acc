"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { isTerminal, type Asset, type Generator, type Job } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { Uploader } from "../dashboard/uploader";
import { useSession } from "../session/session-provider";
import { useFormatBytes } from "../ui/format";
import { Notice } from "../ui/notice";
import { PageHead } from "../ui/page-head";
import { CompareSlider } from "./compare-slider";
import { DownloadPanel } from "./download-panel";
import { EraseTool } from "./erase-tool";
import { ResultFacts } from "./result-facts";
import { RunningStep } from "./running-step";
import { StepHistory } from "./step-history";
import styles from "./studio.module.css";
import { ToolPanel } from "./tool-panel";
import { frameStyle, groupTools, isMaskUpload, outputOf, pictureOfAsset, takesMask, type Picture } from "./tools";
import { UploadStrip } from "./upload-strip";
import { readQuery, useStudioSession } from "./use-studio-session";

const studioCategories = ["magic-studio", "basics"];

/** Ctrl+Z / Ctrl+Shift+Z (Cmd on a Mac), except while typing in a field. */
function undoDirection(event: KeyboardEvent): -1 | 1 | 0 {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "z") return 0;
  const target = event.target as HTMLElement | null;
  if (
    target?.closest(
      "input:not([type=radio]):not([type=range]):not([type=checkbox]), textarea, select, [contenteditable]",
    )
  )
    return 0;
  return event.shiftKey ? 1 : -1;
}

export function Studio() {
  const t = useTranslations("studio");
  const tj = useTranslations("jobs");
  const errorMessage = useErrorMessage();
  const formatBytes = useFormatBytes();
  const { refresh } = useSession();
  const [generators, setGenerators] = useState<Generator[]>([]);
  const [uploads, setUploads] = useState<Asset[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [compareWith, setCompareWith] = useState<"previous" | "original">("previous");
  const [toolId, setToolId] = useState<string | null>(null);
  const studio = useStudioSession();
  const { open, restore, idle, update, move } = studio;
  const { original, steps, at, running, failed } = studio.session;
  const locked = running !== null;

  useEffect(() => {
    let active = true;
    const fromUrl = readQuery(window.location.search);
    Promise.all([
      api<{ generators: Generator[] }>("/api/v1/generators"),
      api<{ assets: Asset[] }>("/api/v1/assets?kind=upload&limit=24", { cache: "no-store" }),
    ])
      .then(([g, a]) => {
        if (!active) return;
        setGenerators(g.generators);
        setUploads(a.assets.filter((asset) => !isMaskUpload(asset)));
        if (fromUrl) void restore(fromUrl.originalId, fromUrl.saved);
        else if (a.assets[0]) void open(a.assets[0]);
        else idle();
      })
      .catch((e: unknown) => {
        if (!active) return;
        setLoadError(errorMessage(e));
        idle();
      });
    return () => {
      active = false;
    };
  }, [open, restore, idle, errorMessage]);

  // Upload callbacks outlive the render that started them; they read the lock from here.
  const lockedRef = useRef(locked);
  useEffect(() => {
    lockedRef.current = locked;
  }, [locked]);

  const onUploaded = useCallback(
    (asset: Asset) => {
      setUploads((current) => [asset, ...current.filter((a) => a.id !== asset.id)]);
      if (!lockedRef.current) void open(asset);
    },
    [open],
  );

  const onStepUpdate = useCallback(
    (job: Job) => {
      update(job);
      if (isTerminal(job.status)) void refresh();
    },
    [update, refresh],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const direction = undoDirection(event);
      if (direction === 0) return;
      event.preventDefault();
      move(direction);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [move]);

  const titles = new Map(generators.map((g) => [g.id, g.title]));
  const strip = original && !uploads.some((a) => a.id === original.id) ? [original, ...uploads] : uploads;
  const pictureAt = (index: number): Picture | null => {
    if (!original) return null;
    const job = index > 0 ? steps[index - 1] : undefined;
    return job ? outputOf(job) : pictureOfAsset(original);
  };
  const current = pictureAt(at);
  const before = pictureAt(compareWith === "original" ? 0 : at - 1);
  const currentJob = at > 0 ? steps[at - 1] : undefined;
  // A mask tool turns the stage into its brush editor (not while a step runs).
  const maskTool = locked || studio.loading ? undefined : generators.find((g) => g.id === toolId && takesMask(g));
  const startStep = (job: Job) => {
    studio.begin(job);
    void refresh();
  };
  const openTool = (id: string | null) => {
    setToolId(id);
    const tool = generators.find((g) => g.id === id);
    // On a phone the stage is above the panel: bring the picture to paint on into view.
    if (tool && takesMask(tool) && window.matchMedia("(max-width: 899px)").matches) {
      requestAnimationFrame(() => document.getElementById("stage-heading")?.scrollIntoView({ block: "start" }));
    }
  };

  return (
    <div className="stack">
      <PageHead title={t("title")} lead={t("lead")} />
      {loadError && <Notice>{loadError}</Notice>}
      <section className={`card ${styles.uploads}`} aria-labelledby="studio-images-heading">
        <h2 id="studio-images-heading" className="visually-hidden">
          {t("images")}
        </h2>
        <Uploader asset={null} onUploaded={onUploaded} multiple />
        <UploadStrip
          uploads={strip}
          selectedId={original?.id ?? null}
          disabled={locked}
          onSelect={(asset) => void open(asset)}
        />
      </section>
      <div className={styles.workspace}>
        <section className={`card ${styles.stage}`} aria-labelledby="stage-heading" aria-busy={studio.loading}>
          <h2 id="stage-heading" className={styles.subheading}>
            {original?.name ?? t("result")}
          </h2>
          {studio.error && <Notice>{studio.error}</Notice>}
          {!original || !current ? (
            <p className="muted">{studio.loading ? t("restoring") : t("empty")}</p>
          ) : (
            <>
              {maskTool ? (
                <EraseTool
                  key={`${maskTool.id}-${current.assetId}`}
                  generator={maskTool}
                  picture={current}
                  onJob={(job) => {
                    // Back to the before/after view, where the result will show.
                    setToolId(null);
                    startStep(job);
                  }}
                />
              ) : at > 0 && before ? (
                <CompareSlider
                  key={`${before.assetId}-${current.assetId}`}
                  before={before}
                  after={current}
                  beforeLabel={compareWith === "original" || at === 1 ? t("original") : t("before")}
                  afterLabel={t("after")}
                />
              ) : (
                <div className={styles.single} style={frameStyle(current)}>
                  {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
                  <img
                    src={current.url}
                    alt={t("currentAlt", { name: original.name ?? "" })}
                    className={styles.compareImage}
                    data-testid="current-image"
                  />
                </div>
              )}
              <p className="hint" data-testid="current-details">
                {tj("details", {
                  width: current.width ?? "?",
                  height: current.height ?? "?",
                  size: formatBytes(current.bytes),
                })}
              </p>
              {at >= 2 && (
                <fieldset className={styles.formats}>
                  <legend className="label">{t("compareWith")}</legend>
                  {(["previous", "original"] as const).map((value) => (
                    <label key={value} className={styles.format}>
                      <input
                        type="radio"
                        name="compare-with"
                        checked={compareWith === value}
                        onChange={() => setCompareWith(value)}
                      />
                      <span>{t(`compareWithOptions.${value}`)}</span>
                    </label>
                  ))}
                </fieldset>
              )}
              {running && (
                <RunningStep
                  key={running.id}
                  job={running}
                  title={titles.get(running.generator) ?? running.generator}
                  onUpdate={onStepUpdate}
                />
              )}
              {failed && (
                <Notice>
                  {failed.status === "canceled"
                    ? t("stepCanceled", { title: titles.get(failed.generator) ?? failed.generator })
                    : t("stepFailed", {
                        title: titles.get(failed.generator) ?? failed.generator,
                        message: failed.error?.message ?? "",
                      })}
                </Notice>
              )}
              {currentJob && <ResultFacts result={currentJob.result} />}
              <StepHistory
                originalName={original.name ?? ""}
                steps={steps}
                at={at}
                generators={generators}
                locked={locked}
                onGoTo={studio.goTo}
              />
              <DownloadPanel
                picture={current}
                generators={generators}
                locked={locked}
                onCharged={() => void refresh()}
              />
            </>
          )}
        </section>
        <aside className={`card ${styles.panel}`} aria-labelledby="tools-heading">
          <h2 id="tools-heading" className={styles.subheading}>
            {t("tools")}
          </h2>
          <ToolPanel
            groups={groupTools(generators, studioCategories)}
            picture={current}
            uploads={strip}
            ready={generators.length > 0}
            locked={locked || studio.loading}
            onJob={startStep}
            openId={toolId}
            onOpen={openTool}
          />
        </aside>
      </div>
    </div>
  );
}
