"use client";

import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import type { Asset, Job } from "../api/types";
import { whileMounted } from "../api/while-mounted";
import dashboardStyles from "../dashboard/dashboard.module.css";
import { GeneratorForm } from "../dashboard/generator-form";
import { JobList } from "../dashboard/job-list";
import { hasVariablePrice, lowestPrice } from "../dashboard/pricing";
import { imageFieldOf, isAssetListField } from "../dashboard/schema-fields";
import { Uploader } from "../dashboard/uploader";
import { useJobList } from "../dashboard/use-job-list";
import { useSession } from "../session/session-provider";
import { Notice } from "../ui/notice";
import { PageHead } from "../ui/page-head";
import { GeneratorResult } from "./generator-result";
import styles from "./generators.module.css";
import { useSpecialisedGenerators } from "./use-generators";

/** How many recent uploads a list of images (a calendar) can pick from. */
const uploadChoices = 60;

/** What the upload asks for, where a generator wants a particular photo. */
const uploadHeadings: Record<string, "uploadSelfie" | "uploadProduct"> = {
  "ai-headshot": "uploadSelfie",
  "ad-video": "uploadProduct",
};

/** Generators that take minutes: the page says it may be closed (the job list comes back on return). */
const slowGenerators = new Set(["ad-video"]);

/**
 * /generators/[id]: one specialised generator with its own form. Upload (several files for a
 * list of images), options, the run button with the price, live progress, results.
 */
export function GeneratorPage({ id }: { id: string }) {
  const t = useTranslations("generatorPages");
  const tc = useTranslations("common");
  const locale = useLocale();
  const session = useSession();
  const { generators, error } = useSpecialisedGenerators();
  const generator = generators?.find((g) => g.id === id) ?? null;
  const schema = generator?.inputSchema;
  const listField = Object.entries(schema?.properties ?? {}).find(([name, field]) =>
    isAssetListField(name, field),
  )?.[0];
  const takesImage = schema ? imageFieldOf(schema) !== undefined : false;
  const [asset, setAsset] = useState<Asset | null>(null);
  const [uploads, setUploads] = useState<Asset[] | null>(null);
  const { jobs, setJobs, loadError, failLoad, addJob, updateJob } = useJobList();

  useEffect(
    () =>
      // Earlier runs of this generator come back after a reload.
      whileMounted(
        api<{ jobs: Job[] }>("/api/v1/jobs?limit=50", { cache: "no-store" }),
        (body) => setJobs(body.jobs.filter((job) => job.generator === id).slice(0, 6)),
        failLoad,
      ),
    [id, failLoad, setJobs],
  );

  useEffect(() => {
    if (!listField) return;
    return whileMounted(
      api<{ assets: Asset[] }>(`/api/v1/assets?kind=upload&limit=${uploadChoices}`, { cache: "no-store" }),
      (body) => setUploads((current) => mergeUploads(current ?? [], body.assets)),
      () => setUploads((current) => current ?? []),
    );
  }, [listField]);

  const addUpload = useCallback(
    (uploaded: Asset) => setUploads((current) => mergeUploads([uploaded], current ?? [])),
    [],
  );

  // A calendar starts at next year, in the language the user reads.
  const properties = schema?.properties ?? {};
  const defaults: Record<string, unknown> = {};
  if ("year" in properties) defaults.year = new Date().getFullYear() + 1;
  if (properties.locale?.enum?.includes(locale)) defaults.locale = locale;

  if (session.status !== "signed-in") return null;
  if (generators === null) return <p className="muted">{tc("loading")}</p>;
  if (!generator) {
    return (
      <div className="stack">
        <PageHead title={t("notFoundTitle")} lead={t("notFound")} />
        {error && <Notice>{error}</Notice>}
        <p>
          <Link href="/generators" className="button">
            {t("back")}
          </Link>
        </p>
      </div>
    );
  }

  return (
    <div className="stack" data-testid="generator-page" data-generator={generator.id}>
      <PageHead title={generator.title} lead={generator.description}>
        <div className={styles.headAside}>
          <span className={`pill ${styles.price}`} data-testid="generator-price">
            {hasVariablePrice(generator)
              ? t("priceFrom", { price: lowestPrice(generator) })
              : t("price", { price: generator.price })}
          </span>
          <Link href="/generators">{t("back")}</Link>
        </div>
      </PageHead>
      {loadError && <Notice>{loadError}</Notice>}
      {slowGenerators.has(generator.id) && (
        <p className="notice" role="note" data-testid="slow-note">
          {t("slowNote")}
        </p>
      )}
      <div className={takesImage || listField ? dashboardStyles.workspace : undefined}>
        {(takesImage || listField) && (
          <section className="card" aria-labelledby="upload-heading">
            <h2 id="upload-heading">{listField ? t("uploadMany") : t(uploadHeadings[generator.id] ?? "upload")}</h2>
            {listField ? (
              <Uploader asset={null} onUploaded={addUpload} multiple />
            ) : (
              <Uploader asset={asset} onUploaded={setAsset} />
            )}
          </section>
        )}
        <section className="card" aria-labelledby="options-heading">
          <h2 id="options-heading">{takesImage || listField ? t("options") : t("optionsOnly")}</h2>
          {listField && uploads === null ? (
            <p className="muted">{tc("loading")}</p>
          ) : (
            <GeneratorForm
              generators={[generator]}
              asset={asset}
              onJob={addJob}
              assetChoices={listField ? (uploads ?? []) : undefined}
              defaults={defaults}
              showDescription={false}
            />
          )}
        </section>
      </div>
      <section aria-labelledby="results-heading" className="stack">
        <h2 id="results-heading">{t("results")}</h2>
        <JobList jobs={jobs} empty={t("noResults")} className={styles.results}>
          {(job) => (
            <GeneratorResult
              key={job.id}
              job={job}
              title={generator.title}
              onUpdate={updateJob}
              runningNote={slowGenerators.has(generator.id) ? t("slowRunning") : undefined}
            />
          )}
        </JobList>
      </section>
    </div>
  );
}

/** Newest first, each upload once. */
function mergeUploads(first: Asset[], then: Asset[]): Asset[] {
  const byId = new Map<string, Asset>();
  for (const asset of [...first, ...then]) if (!byId.has(asset.id)) byId.set(asset.id, asset);
  return [...byId.values()];
}
