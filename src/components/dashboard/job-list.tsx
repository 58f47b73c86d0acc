"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { Job } from "../api/types";

type Props = {
  /** null while loading. */
  jobs: Job[] | null;
  /** Shown when there are no jobs. */
  empty: string;
  className?: string;
  /** One list item per job. */
  children: (job: Job) => ReactNode;
};

/** A page's jobs: "Loading..." first, then the list or the empty text. */
export function JobList({ jobs, empty, className, children }: Props) {
  const tc = useTranslations("common");
  if (jobs === null) return <p className="muted">{tc("loading")}</p>;
  if (jobs.length === 0) return <p className="muted">{empty}</p>;
  return <ul className={className}>{jobs.map(children)}</ul>;
}
