"use client";

import { useCallback, useState } from "react";
import type { Job } from "../api/types";
import { isTerminal } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { useSession } from "../session/session-provider";

/**
 * The jobs a page lists, newest first; null while loading. New and updated jobs refresh the
 * session (the balance and held credits change). A failed load shows as `loadError`, with no jobs.
 */
export function useJobList() {
  const { refresh } = useSession();
  const errorMessage = useErrorMessage();
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const addJob = useCallback(
    (job: Job) => {
      setJobs((current) => [job, ...(current ?? []).filter((j) => j.id !== job.id)]);
      void refresh();
    },
    [refresh],
  );

  const updateJob = useCallback(
    (job: Job) => {
      setJobs((current) => (current ?? []).map((j) => (j.id === job.id ? job : j)));
      if (isTerminal(job.status)) void refresh();
    },
    [refresh],
  );

  const failLoad = useCallback(
    (error: unknown) => {
      setLoadError(errorMessage(error));
      setJobs([]);
    },
    [errorMessage],
  );

  return { jobs, setJobs, loadError, failLoad, addJob, updateJob };
}
