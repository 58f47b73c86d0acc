import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "./db/types";

/** One hit's outcome; `count` is this window's hits including this one. */
export type RateLimitResult = { allowed: boolean; count: number; retryAfterSeconds: number };
export type RateLimiter = { hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> };

/** Fixed windows in memory: enough for embedded mode, where there is exactly one process. */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  let nextPruneAt = 0;
  return {
    async hit(key, limit, windowSeconds) {
      const t = now();
      // Expired windows are dropped once a minute, so the map holds only live keys.
      if (t >= nextPruneAt) {
        pruneExpired(windows, t);
        nextPruneAt = t + PRUNE_INTERVAL_MS;
      }
      let window = windows.get(key);
      if (!window || window.endsAt <= t) {
        window = { count: 0, endsAt: t + windowSeconds * 1000 };
        windows.set(key, window);
      }
      window.count += 1;
      return {
        allowed: window.count <= limit,
        count: window.count,
        retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - t) / 1000)),
      };
    },
  };
}

const PRUNE_INTERVAL_MS = 60_000;

function pruneExpired(windows: Map<string, { endsAt: number }>, t: number) {
  for (const [key, window] of windows) if (window.endsAt <= t) windows.delete(key);
}

/**
 * Fixed windows in Postgres, shared by every web process; one upsert per hit. Expired rows are
 * deleted in small batches at most once a minute per process, so the table holds live windows only.
 */
export function createDatabaseRateLimiter(db: Db, now: () => number = Date.now): RateLimiter {
  let nextPruneAt = 0;
  return {
    async hit(key, limit, windowSeconds) {
      if (now() >= nextPruneAt) {
        nextPruneAt = now() + PRUNE_INTERVAL_MS;
        await pruneExpiredRows(db);
      }
      const result = await db.execute(sql`
        INSERT INTO rate_limits (key, count, window_ends_at)
        VALUES (${key}, 1, now() + make_interval(secs => ${windowSeconds}))
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN rate_limits.window_ends_at <= now() THEN 1 ELSE rate_limits.count + 1 END,
          window_ends_at = CASE WHEN rate_limits.window_ends_at <= now()
            THEN excluded.window_ends_at ELSE rate_limits.window_ends_at END
        RETURNING count, ceil(extract(epoch FROM window_ends_at - now()))::int AS retry_after`);
      const row = (result as unknown as { rows: { count: number; retry_after: number }[] }).rows[0]!;
      const count = Number(row.count);
      return { allowed: count <= limit, count, retryAfterSeconds: Math.max(1, Number(row.retry_after)) };
    },
  };
}

/** Deletes up to 5,000 expired windows; SKIP LOCKED so concurrent prunes and hits never wait on each other. */
export async function pruneExpiredRows(db: Db): Promise<number> {
  const result = await db.execute(sql`
    DELETE FROM rate_limits WHERE key IN (
      SELECT key FROM rate_limits WHERE window_ends_at <= now() LIMIT 5000 FOR UPDATE SKIP LOCKED)`);
  return (
    (result as unknown as { affectedRows?: number; rowCount?: number }).rowCount ??
    (result as unknown as { affectedRows?: number }).affectedRows ??
    0
  );
}
