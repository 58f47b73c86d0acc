import PQueue from "p-queue";
import { AppError } from "@/server/errors";

/**
 * A bounded per-process queue for CPU-heavy image work on the request path (decoding uploads).
 * At most `concurrency` run at once; when `maxWaiting` are already waiting the caller gets a 503
 * with Retry-After instead of piling up memory.
 */
export function createCpuQueue(options: { concurrency: number; maxWaiting: number }) {
  const queue = new PQueue({ concurrency: options.concurrency });
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const mustWait = queue.pending >= options.concurrency;
      if (mustWait && queue.size >= options.maxWaiting) {
        throw new AppError("service_unavailable", { retryAfterSeconds: 2 });
      }
      return queue.add(task) as Promise<T>;
    },
    get waiting() {
      return queue.size;
    },
    get running() {
      return queue.pending;
    },
  };
}

export type CpuQueue = ReturnType<typeof createCpuQueue>;
