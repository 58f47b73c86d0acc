"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { api } from "../api/client";
import type { Asset, Generator } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { GeneratorForm } from "../dashboard/generator-form";
import { priceFor } from "../dashboard/pricing";
import { Uploader } from "../dashboard/uploader";
import { useSession } from "../session/session-provider";
import { Notice } from "../ui/notice";
import { PageHead } from "../ui/page-head";
import { groupTools, isKnownCategory, takesMask, triggerDownload } from "../studio/tools";
import styles from "./batch.module.css";
import { BatchImages } from "./batch-images";
import { BatchSteps } from "./batch-steps";
import { runBatch, waitingRun, type BatchStep, type ImageRun } from "./run-batch";
import { zipOutputs } from "./zip-outputs";

type Phase = "setup" | "running" | "done";

export function Batch() {
  const t = useTranslations("batch");
  const ts = useTranslations("studio");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const session = useSession();
  const { refresh } = session;
  const toolSelectId = useId();
  const [generators, setGenerators] = useState<Generator[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [images, setImages] = useState<Asset[]>([]);
  const [steps, setSteps] = useState<BatchStep[]>([]);
  const [toolId, setToolId] = useState<string>("");
  const [runs, setRuns] = useState<Record<string, ImageRun>>({});
  const [phase, setPhase] = useState<Phase>("setup");
  const [zipping, setZipping] = useState(false);
  const [zipError, setZipError] = useState<string | null>(null);
  const nextKey = useRef(0);

  useEffect(() => {
    let active = true;
    api<{ generators: Generator[] }>("/api/v1/generators")
      .then((body) => active && setGenerators(body.generators))
      .catch((e: unknown) => active && setLoadError(errorMessage(e)));
    return () => {
      active = false;
    };
  }, [errorMessage]);

  // Changing images or steps after a run starts a new batch (the results stay in the gallery).
  const resetRun = useCallback(() => setPhase((current) => (current === "done" ? "setup" : current)), []);
  // Leaving mid-run would lose the progress view and the zip (the jobs themselves go on).
  useEffect(() => {
    if (phase !== "running") return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [phase]);

  const onUploaded = useCallback(
    (asset: Asset) => {
      setImages((current) => [...current, asset]);
      resetRun();
    },
    [resetRun],
  );

  // A painted mask belongs to one image: erase is a studio tool, not a batch step.
  const groups = groupTools(generators.filter((g) => !takesMask(g)));
  const tools = groups.flatMap((g) => g.tools);
  const tool = tools.find((g) => g.id === toolId) ?? tools[0];
  const pricePerImage = steps.reduce((sum, step) => sum + priceFor(step.generator, step.inputs), 0);
  const total = pricePerImage * images.length;
  const balance = session.status === "signed-in" ? session.me.account.balance : 0;
  const tooExpensive = total > balance;
  const busy = phase === "running";
  const succeeded = images.filter((image) => runs[image.id]?.status === "succeeded");
  const failedCount = images.filter((image) => runs[image.id]?.status === "failed").length;

  async function run() {
    const batchImages = images;
    setRuns(Object.fromEntries(batchImages.map((image) => [image.id, waitingRun])));
    setPhase("running");
    setZipError(null);
    await runBatch(
      batchImages,
      steps,
      (imageId, patch) => setRuns((all) => ({ ...all, [imageId]: { ...(all[imageId] ?? waitingRun), ...patch } })),
      errorMessage,
    );
    setPhase("done");
    void refresh();
  }

  async function downloadAll() {
    setZipping(true);
    setZipError(null);
    try {
      const entries = succeeded.flatMap((image) => {
        const output = runs[image.id]?.output;
        return output ? [{ originalName: image.name, assetId: output.assetId, mime: output.mime }] : [];
      });
      const blob = await zipOutputs(entries, t("fallbackName"));
      const href = URL.createObjectURL(blob);
      const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
      triggerDownload(href, `pixelwerk-batch-${stamp}.zip`);
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    } catch (e) {
      setZipError(errorMessage(e));
    } finally {
      setZipping(false);
    }
  }

  return (
    <div className="stack">
      <PageHead title={t("title")} lead={t("lead")} />
      {loadError && <Notice>{loadError}</Notice>}
      <div className={styles.workspace}>
        <section className="card stack" aria-labelledby="batch-images-heading">
          <h2 id="batch-images-heading">{t("imagesTitle")}</h2>
          {!busy && <Uploader asset={null} onUploaded={onUploaded} multiple />}
          <BatchImages
            images={images}
            runs={phase === "setup" ? {} : runs}
            steps={steps}
            removable={!busy}
            onRemove={(id) => {
              setImages((current) => current.filter((image) => image.id !== id));
              resetRun();
            }}
          />
        </section>
        <section className="card stack" aria-labelledby="batch-steps-heading">
          <h2 id="batch-steps-heading">{t("stepsTitle")}</h2>
          <BatchSteps
            steps={steps}
            editable={!busy}
            onRemove={(key) => {
              setSteps((current) => current.filter((step) => step.key !== key));
              resetRun();
            }}
            onMoveUp={(key) => {
              resetRun();
              setSteps((current) => {
                const index = current.findIndex((step) => step.key === key);
                if (index <= 0) return current;
                const next = [...current];
                [next[index - 1], next[index]] = [next[index]!, next[index - 1]!];
                return next;
              });
            }}
          />
          {tool && !busy && (
            <div className={`stack ${styles.addStep}`}>
              <h3 className={styles.subheading}>{t("addStepTitle")}</h3>
              <div className="field">
                <label htmlFor={toolSelectId}>{t("tool")}</label>
                <select
                  id={toolSelectId}
                  className="input"
                  value={tool.id}
                  onChange={(event) => setToolId(event.currentTarget.value)}
                >
                  {groups.map((group) => (
                    <optgroup
                      key={group.category}
                      label={isKnownCategory(group.category) ? ts(`categories.${group.category}`) : group.category}
                    >
                      {group.tools.map((g) => (
                        <option key={g.id} value={g.id}>
                          {g.title}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </div>
              <GeneratorForm
                key={tool.id}
                generators={[tool]}
                asset={null}
                onInputs={(generator, inputs) => {
                  const { image: _image, ...options } = inputs;
                  const key = nextKey.current++;
                  setSteps((current) => [...current, { key, generator, inputs: options }]);
                  resetRun();
                }}
                submitLabel={(g, price) => t("addStep", { title: g.title, price })}
              />
            </div>
          )}
          {generators.length === 0 && !loadError && <p className="muted">{tc("loading")}</p>}
        </section>
      </div>
      <section className="card stack" aria-labelledby="batch-run-heading">
        <h2 id="batch-run-heading">{t("runTitle")}</h2>
        <p data-testid="batch-total">{t("total", { images: images.length, perImage: pricePerImage, total })}</p>
        <p className="hint">{t("refundHint")}</p>
        {tooExpensive && images.length > 0 && steps.length > 0 && <Notice>{t("notEnough", { total, balance })}</Notice>}
        <button
          type="button"
          className="button button-block"
          disabled={busy || images.length === 0 || steps.length === 0 || tooExpensive}
          onClick={() => void run()}
        >
          {busy ? t("running") : t("run", { images: images.length, steps: steps.length, total })}
        </button>
        {images.length === 0 && <p className="hint">{t("needImages")}</p>}
        {images.length > 0 && steps.length === 0 && <p className="hint">{t("needSteps")}</p>}
        {phase === "done" && (
          <Notice tone={failedCount > 0 ? "error" : "success"}>
            {t("finished", { succeeded: succeeded.length, failed: failedCount })}
          </Notice>
        )}
        {zipError && <Notice>{zipError}</Notice>}
        {phase === "done" && succeeded.length > 0 && (
          <button
            type="button"
            className="button button-secondary button-block"
            disabled={zipping}
            onClick={() => void downloadAll()}
          >
            {zipping ? t("zipping") : t("downloadAll", { count: succeeded.length })}
          </button>
        )}
      </section>
    </div>
  );
}
