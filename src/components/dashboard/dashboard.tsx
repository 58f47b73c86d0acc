"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Asset, Generator, Job } from "../api/types";
import { whileMounted } from "../api/while-mounted";
import { useSession } from "../session/session-provider";
import { Notice } from "../ui/notice";
import { PageHead } from "../ui/page-head";
import styles from "./dashboard.module.css";
import { GeneratorForm } from "./generator-form";
import { JobCard } from "./job-card";
import { JobList } from "./job-list";
import { Uploader } from "./uploader";
import { useJobList } from "./use-job-list";

export function Dashboard() {
  const t = useTranslations("dashboard");
  const tj = useTranslations("jobs");
  const tu = useTranslations("upload");
  const tg = useTranslations("generator");
  const session = useSession();
  const [asset, setAsset] = useState<Asset | null>(null);
  // While a new file is on its way, the image on screen is about to be replaced: no job may start.
  const [uploading, setUploading] = useState(false);
  const [generators, setGenerators] = useState<Generator[]>([]);
  const { jobs, setJobs, loadError, failLoad, addJob, updateJob } = useJobList();

  useEffect(
    () =>
      // Everything the page shows is recoverable from the server after a reload.
      whileMounted(
        Promise.all([
          api<{ generators: Generator[] }>("/api/v1/generators"),
          api<{ jobs: Job[] }>("/api/v1/jobs?limit=20", { cache: "no-store" }),
          api<{ assets: Asset[] }>("/api/v1/assets?kind=upload&limit=1", { cache: "no-store" }),
        ]),
        ([g, j, a]) => {
          setGenerators(g.generators);
          setJobs(j.jobs);
          setAsset((current) => current ?? a.assets[0] ?? null);
        },
        failLoad,
      ),
    [failLoad, setJobs],
  );

  if (session.status !== "signed-in") return null;
  const { account, user } = session.me;
  const titles = new Map(generators.map((g) => [g.id, g.title]));

  return (
    <div className="stack">
      <PageHead title={t("title")} lead={t("greeting", { name: user.name })}>
        <dl className={styles.stats}>
          <div className={`tile ${styles.stat}`}>
            <dt>{t("balance")}</dt>
            <dd data-testid="balance">{account.balance}</dd>
          </div>
          <div className={`tile ${styles.stat}`} title={t("heldHint")}>
            <dt>{t("held")}</dt>
            <dd data-testid="held">{account.held}</dd>
          </div>
          <Link href="/statement" className={styles.statLink}>
            {t("statementLink")}
          </Link>
        </dl>
      </PageHead>
      {loadError && <Notice>{loadError}</Notice>}
      <div className={styles.workspace}>
        <section className="card" aria-labelledby="upload-heading">
          <h2 id="upload-heading">{tu("title")}</h2>
          <Uploader asset={asset} onUploaded={setAsset} onBusyChange={setUploading} />
        </section>
        <section className="card" aria-labelledby="generator-heading">
          <h2 id="generator-heading">{tg("title")}</h2>
          <GeneratorForm
            generators={generators}
            // No id at all while uploading: a stale one cannot reach a job even by a late click.
            asset={uploading ? null : asset}
            disabled={uploading}
            disabledReason={tg("waitForUpload")}
            onJob={addJob}
          />
        </section>
      </div>
      <section aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">{tj("title")}</h2>
        <JobList jobs={jobs} empty={tj("empty")} className={styles.jobs}>
          {(job) => (
            <JobCard key={job.id} job={job} title={titles.get(job.generator) ?? job.generator} onUpdate={updateJob} />
          )}
        </JobList>
      </section>
    </div>
  );
}
