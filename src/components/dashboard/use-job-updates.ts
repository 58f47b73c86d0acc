"use client";

import { useEffect, useEffectEvent, useState } from "react";
import { api } from "../api/client";
import { isTerminal, type Job } from "../api/types";

const maxDelay = 10_000;

/**
 * Follows a job until it ends: Server-Sent Events first; if the stream breaks, polling with
 * backoff (1s, 2s, 4s ... 10s). Returns whether we are on the fallback.
 */
export function useJobUpdates(job: Job, onUpdate: (job: Job) => void): { fallback: boolean } {
  const [fallback, setFallback] = useState(false);
  const update = useEffectEvent(onUpdate);
  const done = isTerminal(job.status);

  useEffect(() => {
    if (done) return;
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
      update(next);
      if (isTerminal(next.status)) stop();
    };
    const schedulePoll = () => {
      if (stopped) return;
      timer = setTimeout(() => void poll(), delay);
      delay = Math.min(delay * 2, maxDelay);
    };
    const poll = async () => {
      try {
        receive((await api<{ job: Job }>(`/api/v1/jobs/${encodeURIComponent(job.id)}`, { cache: "no-store" })).job);
      } catch {
        // Try again later; the next answer tells.
      }
      schedulePoll();
    };

    if (typeof EventSource === "undefined") {
      schedulePoll();
    } else {
      source = new EventSource(`/api/v1/jobs/${encodeURIComponent(job.id)}/events`);
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
        setFallback(true);
        void poll();
      });
    }
    return stop;
  }, [job.id, done]);

  return { fallback: fallback && !done };
}
