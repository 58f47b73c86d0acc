import "server-only";
import { AppError } from "@/server/errors";

type Waiting = { start: () => void };

/**
 * A bounded per-process queue for CPU-heavy image work on the request path (decoding uploads,
 * /i/ renders), fair across keys (accounts). At most `concurrency` tasks run at once. A free slot
 * goes to the waiting key with the fewest running tasks, ties to the key served longest ago
 * (round-robin), so one account with 30 queued renders delays another account's single task by
 * at most one running task, not by all 30. An idle slot is never kept empty: alone, one key may
 * use every slot.
 * Refusals happen before anything is queued: when `maxWaiting` tasks already wait, 503 with
 * Retry-After; when one key already has `maxWaitingPerKey` waiting, 429 for that key only, so a
 * flood by one account cannot fill the waiting room for everyone else.
 */
export function createCpuQueue(options: { concurrency: number; maxWaiting: number; maxWaitingPerKey?: number }) {
  const maxWaitingPerKey = options.maxWaitingPerKey ?? Math.max(1, Math.ceil(options.maxWaiting / 4));
  const waiting = new Map<string, Waiting[]>();
  const running = new Map<string, number>();
  /** When each active key last got a slot (a counter); forgotten once the key has nothing left. */
  const lastServed = new Map<string, number>();
  let served = 0;
  let runningTotal = 0;
  let waitingTotal = 0;

  /** Fewer running tasks first, then the key served longest ago. */
  const before = (a: string, b: string) => {
    const byRunning = (running.get(a) ?? 0) - (running.get(b) ?? 0);
    return byRunning !== 0 ? byRunning < 0 : (lastServed.get(a) ?? -1) < (lastServed.get(b) ?? -1);
  };

  function next(): void {
    while (runningTotal < options.concurrency && waitingTotal > 0) {
      let chosen: string | undefined;
      for (const key of waiting.keys()) if (chosen === undefined || before(key, chosen)) chosen = key;
      const queue = waiting.get(chosen!)!;
      const task = queue.shift()!;
      if (queue.length === 0) waiting.delete(chosen!);
      waitingTotal -= 1;
      task.start();
    }
  }

  function begin(key: string): void {
    runningTotal += 1;
    running.set(key, (running.get(key) ?? 0) + 1);
    lastServed.set(key, ++served);
  }

  function end(key: string): void {
    runningTotal -= 1;
    const left = (running.get(key) ?? 1) - 1;
    if (left > 0) running.set(key, left);
    else running.delete(key);
    if (left <= 0 && !waiting.has(key)) lastServed.delete(key);
    next();
  }

  return {
    /** Runs `task` for `key` (the account the work is for); throws 503/429 at once when full. */
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const execute = async (): Promise<T> => {
        try {
          return await task();
        } finally {
          end(key);
        }
      };
      if (runningTotal < options.concurrency && waitingTotal === 0) {
        begin(key);
        return execute();
      }
      if (waitingTotal >= options.maxWaiting) throw new AppError("service_unavailable", { retryAfterSeconds: 2 });
      const own = waiting.get(key);
      if ((own?.length ?? 0) >= maxWaitingPerKey) {
        throw new AppError("rate_limited", { retryAfterSeconds: 2, params: { retryAfter: 2 } });
      }
      return new Promise<T>((resolve, reject) => {
        const entry: Waiting = {
          start: () => {
            begin(key);
            execute().then(resolve, reject);
          },
        };
        if (own) own.push(entry);
        else waiting.set(key, [entry]);
        waitingTotal += 1;
        next();
      });
    },
    get waiting() {
      return waitingTotal;
    },
    get running() {
      return runningTotal;
    },
    /** Running tasks of one key, for tests and logs. */
    runningFor(key: string) {
      return running.get(key) ?? 0;
    },
  };
}

export type CpuQueue = ReturnType<typeof createCpuQueue>;
