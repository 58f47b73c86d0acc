"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { isTerminal, type Asset, type Job } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";

/**
 * A studio session: an original upload and the steps applied to it, each a job whose image is the
 * previous step's output. `at` steps are in effect (the rest can be redone). Only ids are kept, in
 * the URL (?s=<original>.<job>.<job>&at=1&run=<job>) and in localStorage under the original, so a
 * reload or coming back to an upload rebuilds everything from GET /api/v1/jobs/:id.
 */
export type StudioSession = {
  original: Asset | null;
  steps: Job[];
  at: number;
  /** A step that is still running. */
  running: Job | null;
  /** The last step that failed; shown until the next one starts. */
  failed: Job | null;
};

type Saved = { jobs: string[]; at: number; run: string | null };

const emptySession: StudioSession = { original: null, steps: [], at: 0, running: null, failed: null };
const idPattern = /^[0-9a-f-]{36}$/i;
const storageKey = (originalId: string) => `pixelwerk:studio:${originalId}`;

export function readQuery(search: string): { originalId: string; saved: Saved } | null {
  const params = new URLSearchParams(search);
  const [originalId, ...jobs] = (params.get("s") ?? "").split(".");
  if (!originalId || !idPattern.test(originalId) || !jobs.every((id) => idPattern.test(id))) return null;
  const at = Number(params.get("at") ?? jobs.length);
  const run = params.get("run");
  return {
    originalId,
    saved: {
      jobs,
      at: Number.isInteger(at) ? Math.max(0, Math.min(jobs.length, at)) : jobs.length,
      run: run && idPattern.test(run) ? run : null,
    },
  };
}

function readStored(originalId: string): Saved {
  try {
    const value = JSON.parse(window.localStorage.getItem(storageKey(originalId)) ?? "null") as Partial<Saved> | null;
    const jobs = Array.isArray(value?.jobs)
      ? value.jobs.filter((id): id is string => typeof id === "string" && idPattern.test(id))
      : [];
    const at = typeof value?.at === "number" ? Math.max(0, Math.min(jobs.length, value.at)) : jobs.length;
    const run = typeof value?.run === "string" && idPattern.test(value.run) ? value.run : null;
    return { jobs, at, run };
  } catch {
    return { jobs: [], at: 0, run: null };
  }
}

function persist(session: StudioSession): void {
  const url = new URL(window.location.href);
  for (const name of ["s", "at", "run"]) url.searchParams.delete(name);
  if (session.original) {
    const saved: Saved = { jobs: session.steps.map((j) => j.id), at: session.at, run: session.running?.id ?? null };
    url.searchParams.set("s", [session.original.id, ...saved.jobs].join("."));
    if (saved.at < saved.jobs.length) url.searchParams.set("at", String(saved.at));
    if (saved.run) url.searchParams.set("run", saved.run);
    try {
      window.localStorage.setItem(storageKey(session.original.id), JSON.stringify(saved));
    } catch {
      // Storage full or disabled: the URL still has it.
    }
  }
  if (url.href !== window.location.href) window.history.replaceState(null, "", url);
}

/** Applies a finished step: success adds it after the steps in effect (dropping the undone ones). */
function settle(session: StudioSession, job: Job): StudioSession {
  if (job.status === "succeeded" && job.outputs.length > 0) {
    const steps = [...session.steps.slice(0, session.at), job];
    return { ...session, steps, at: steps.length, running: null, failed: null };
  }
  return { ...session, running: null, failed: job };
}

const fetchJob = (id: string) =>
  api<{ job: Job }>(`/api/v1/jobs/${encodeURIComponent(id)}`, { cache: "no-store" }).then((body) => body.job);

async function loadSession(original: Asset | string, saved: Saved): Promise<StudioSession> {
  const [asset, jobs, run] = await Promise.all([
    typeof original === "string"
      ? api<{ asset: Asset }>(`/api/v1/assets/${encodeURIComponent(original)}`, { cache: "no-store" }).then(
          (b) => b.asset,
        )
      : original,
    Promise.all(saved.jobs.map((id) => fetchJob(id).catch(() => null))),
    saved.run ? fetchJob(saved.run).catch(() => null) : null,
  ]);
  // A step that is gone (or never succeeded) ends the history there.
  const steps: Job[] = [];
  for (const job of jobs) {
    if (!job || job.status !== "succeeded" || job.outputs.length === 0) break;
    steps.push(job);
  }
  const session: StudioSession = { ...emptySession, original: asset, steps, at: Math.min(saved.at, steps.length) };
  if (!run) return session;
  return isTerminal(run.status) ? settle(session, run) : { ...session, running: run };
}

export function useStudioSession() {
  const errorMessage = useErrorMessage();
  const [session, setSession] = useState<StudioSession>(emptySession);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Only the latest open/restore may land: choosing another image quickly wins over a slow one.
  const request = useRef(0);

  const load = useCallback(
    async (original: Asset | string, saved: Saved) => {
      const ticket = ++request.current;
      setLoading(true);
      setError(null);
      try {
        const next = await loadSession(original, saved);
        if (ticket === request.current) setSession(next);
      } catch (e) {
        if (ticket === request.current) setError(errorMessage(e));
      } finally {
        if (ticket === request.current) setLoading(false);
      }
    },
    [errorMessage],
  );

  /** Makes an upload the current original, with the steps last applied to it on this browser. */
  const open = useCallback((asset: Asset) => load(asset, readStored(asset.id)), [load]);
  /** Rebuilds the session the URL names (a reload). */
  const restore = useCallback((originalId: string, saved: Saved) => load(originalId, saved), [load]);
  const idle = useCallback(() => setLoading(false), []);

  const begin = useCallback((job: Job) => setSession((s) => ({ ...s, running: job, failed: null })), []);
  const update = useCallback(
    (job: Job) =>
      setSession((s) => {
        if (s.running?.id !== job.id) return s;
        return isTerminal(job.status) ? settle(s, job) : { ...s, running: job };
      }),
    [],
  );
  const goTo = useCallback(
    (at: number) =>
      setSession((s) => (s.running ? s : { ...s, at: Math.max(0, Math.min(s.steps.length, at)), failed: null })),
    [],
  );

  /** Undo (-1) and redo (+1). */
  const move = useCallback(
    (delta: number) =>
      setSession((s) =>
        s.running ? s : { ...s, at: Math.max(0, Math.min(s.steps.length, s.at + delta)), failed: null },
      ),
    [],
  );

  useEffect(() => {
    if (!loading) persist(session);
  }, [session, loading]);

  return { session, loading, error, open, restore, idle, begin, update, goTo, move };
}
