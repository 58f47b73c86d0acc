"use client";

import { useEffect, useEffectEvent, useState } from "react";
import { api } from "../api/client";
import { isTerminal, type Job } from "../api/types";

const maxDelay = 10_000;

type FollowHandlers = {
  onUpdate: (job: Job) => void;
  /** The live stream broke; updates now come by polling. */
  onFallback?: () => void;
};

/**
 * Follows a job until it ends: Server-Sent Events first; if the stream breaks, polling with
 * backoff (1s, 2s, 4s ... 10s). Returns a function that stops following.
 */
export function followJob(jobId: string, { onUpdate, onFallback }: FollowHandlers): () => void {
  let stopped = false;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = 1000;

  const stop = () => {
    stopped = true;
    source?.close();
    clearTimeout(timer);
  };
  const receive = (next: Job) => {
    if (stopped) return;
    onUpdate(next);
    if (isTerminal(next.status)) stop();
  };
  const schedulePoll = () => {
    if (stopped) return;
    timer = setTimeout(() => void poll(), delay);
    delay = Math.min(delay * 2, maxDelay);
  };
  const poll = async () => {
    try {
      receive((await api<{ job: Job }>(`/api/v1/jobs/${encodeURIComponent(jobId)}`, { cache: "no-store" })).job);
    } catch {
      // Try again later; the next answer tells.
    }
    schedulePoll();
  };

  if (typeof EventSource === "undefined") {
    schedulePoll();
  } else {
    source = new EventSource(`/api/v1/jobs/${encodeURIComponent(jobId)}/events`);
    source.addEventListener("job", (event) => {
      try {
        receive(JSON.parse((event as MessageEvent<string>).data) as Job);
      } catch {
        // A malformed event is skipped; the next one or the poll brings the state.
      }
    });
    source.addEventListener("error", () => {
      if (stopped) return;
      // Also reached when the server ends the stream: the poll then fetches the final state.
      source?.close();
      source = null;
      onFallback?.();
      void poll();
    });
  }
  return stop;
}

/** Resolves with the job once it has ended (succeeded, failed or canceled); onUpdate sees every step. */
export function waitForJobEnd(job: Job, onUpdate: (job: Job) => void = () => undefined): Promise<Job> {
  if (isTerminal(job.status)) return Promise.resolve(job);
  return new Promise((resolve) => {
    followJob(job.id, {
      onUpdate: (next) => {
        onUpdate(next);
        if (isTerminal(next.status)) resolve(next);
      },
    });
  });
}

/** followJob for a component: follows `job` while it runs. Returns whether we are on the fallback. */
export function useJobUpdates(job: Job, onUpdate: (job: Job) => void): { fallback: boolean } {
  const [fallback, setFallback] = useState(false);
  const update = useEffectEvent(onUpdate);
  const done = isTerminal(job.status);

  useEffect(() => {
    if (done) return;
    return followJob(job.id, { onUpdate: (next) => update(next), onFallback: () => setFallback(true) });
  }, [job.id, done]);

  return { fallback: fallback && !done };
}
