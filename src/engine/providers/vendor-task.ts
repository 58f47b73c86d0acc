import { isProviderError } from "./errors";
import type { ToolContext } from "./types";

/**
 * Waiting on a long vendor task (a Replicate prediction, a fal queue request, a Sora video, a Veo
 * operation): the poll schedule, progress and the tolerance of passing failures while asking.
 */

/** How often to ask about a task: quickly at first (most images take seconds), then less often. */
export type PollTiming = { firstMs: number; maxMs: number };
export const defaultPollTiming: PollTiming = { firstMs: 250, maxMs: 5000 };

/** Hiccups tolerated in a row while polling a paid task before the attempt is given up. */
const maxTransientPollFailures = 5;

export function nextDelay(delay: number, timing: PollTiming): number {
  return Math.min(timing.maxMs, Math.round(delay * 1.5));
}

/** Waits, or rejects as soon as the step is aborted (time limit or canceled job). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("aborted", "AbortError");
}

/**
 * Progress of a vendor task: the last percentage in its logs when it prints one (tqdm bars,
 * "Progress: 40%"), else the time spent against what the model usually takes. Never goes back.
 */
export function progressReporter(context: ToolContext, expectedSeconds: number) {
  const started = Date.now();
  let reported = 0;
  return async (logs?: string) => {
    const byTime = Math.min(0.9, (Date.now() - started) / 1000 / expectedSeconds);
    const fraction = Math.min(0.95, Math.max(byTime, lastPercentIn(logs) ?? 0));
    if (fraction <= reported + 0.005) return;
    reported = fraction;
    await context.reportProgress(fraction);
  };
}

export function lastPercentIn(logs: string | undefined): number | undefined {
  const matches = [...(logs ?? "").matchAll(/(\d{1,3}(?:\.\d+)?)\s?%/g)];
  const last = matches.at(-1);
  if (!last) return undefined;
  const percent = Number(last[1]);
  return percent >= 0 && percent <= 100 ? percent / 100 : undefined;
}

export type PollOptions<T> = {
  timing: PollTiming;
  /** What the task usually takes: the progress bar's pace when the vendor reports none. */
  expectedSeconds: number;
  read: () => Promise<T>;
  /** May throw, for a state the task can never leave in a usable way. */
  done: (task: T) => boolean;
  /** The vendor's own 0..100, or its logs (their last percentage counts). */
  progress?: (task: T) => number | string | undefined;
  /** Shared by tasks that run side by side for one step, so progress never goes back. */
  report?: (logs?: string) => Promise<void>;
  /** Stops the task at the vendor when the step is aborted: some bill until it stops. */
  cancel?: () => void;
};

/**
 * Polls a vendor task until it is done, reporting progress; without a first state it is read at
 * once. A passing 5xx while asking does not abandon a task that is already paid for; an abort
 * (time limit, canceled job) ends the wait.
 */
export async function pollTask<T>(context: ToolContext, first: T | undefined, options: PollOptions<T>): Promise<T> {
  const { signal } = context;
  const report = options.report ?? progressReporter(context, options.expectedSeconds);
  const cancel = options.cancel;
  let task = first;
  // A listener added to an aborted signal never fires: a task known to be running is stopped now.
  if (cancel && signal.aborted && task !== undefined && !options.done(task)) cancel();
  if (cancel) signal.addEventListener("abort", cancel, { once: true });
  let delay = options.timing.firstMs;
  let hiccups = 0;
  let read = task === undefined;
  try {
    for (;;) {
      if (read) {
        try {
          task = await options.read();
          hiccups = 0;
        } catch (error) {
          const passing = isProviderError(error) && error.failure === "retriable";
          if (signal.aborted || !passing || ++hiccups > maxTransientPollFailures) throw error;
        }
      }
      read = true;
      if (task !== undefined && options.done(task)) return task;
      const progress = task === undefined ? undefined : options.progress?.(task);
      await report(typeof progress === "number" ? `${progress}%` : progress);
      await sleep(delay, signal);
      delay = nextDelay(delay, options.timing);
    }
  } finally {
    if (cancel) signal.removeEventListener("abort", cancel);
  }
}
