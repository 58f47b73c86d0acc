import "server-only";
import type { Db, Tx } from "./types";

/** deadlock_detected and serialization_failure: Postgres rolled the transaction back, a rerun may pass. */
const retriableCodes = new Set(["40P01", "40001"]);

const maxAttempts = 4;

/** Drizzle wraps driver errors: the SQLSTATE may sit a few causes down. */
export function isRetriableTransactionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (retriableCodes.has((e as { code?: string }).code ?? "")) return true;
  }
  return false;
}

/**
 * Runs `work` in a transaction and reruns it from the start when Postgres aborts it for a deadlock
 * or a serialization failure, a few times with a short random pause: no request should see those.
 * `work` must only touch the database (or be safe to repeat), since a rerun repeats all of it.
 */
export async function retryTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetriableTransactionError(error)) throw error;
      // Jitter, so the transactions that collided do not meet again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
