import "server-only";
import { AppError } from "@/server/errors";

/** Seconds a refused client should wait: one upload of a few MB is usually through by then. */
const retryAfterSeconds = 2;

/**
 * Bounds the uploads one process receives at once, per account and in total. Taken before the
 * body is read, so a refused upload costs nothing but its headers: over the account's bound 429
 * (that account is sending too much), over the process's bound 503 (the server is busy).
 */
export function createUploadSlots(limits: { perAccount: number; total: number }) {
  const perAccount = new Map<string, number>();
  let total = 0;
  return {
    /** Takes a slot for `accountId` or throws; the returned function gives it back (once). */
    acquire(accountId: string): () => void {
      const own = perAccount.get(accountId) ?? 0;
      if (own >= limits.perAccount) {
        throw new AppError("rate_limited", { retryAfterSeconds, params: { retryAfter: retryAfterSeconds } });
      }
      if (total >= limits.total) throw new AppError("service_unavailable", { retryAfterSeconds });
      perAccount.set(accountId, own + 1);
      total += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (perAccount.get(accountId) ?? 1) - 1;
        if (left > 0) perAccount.set(accountId, left);
        else perAccount.delete(accountId);
      };
    },
    get active() {
      return total;
    },
  };
}
