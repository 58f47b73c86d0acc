import { sql } from "drizzle-orm";
import type { Db } from "./db/types";

export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };
export type RateLimiter = { hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> };

/** Fixed windows in memory: enough for embedded mode, where there is exactly one process. */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return {
    async hit(key, limit, windowSeconds) {
      const t = now();
      let window = windows.get(key);
      if (!window || window.endsAt <= t) {
        window = { count: 0, endsAt: t + windowSeconds * 1000 };
        windows.set(key, window);
        if (windows.size > 100_000) pruneExpired(windows, t);
      }
      window.count += 1;
      return { allowed: window.count <= limit, retryAfterSeconds: Math.ceil((window.endsAt - t) / 1000) };
    },
  };
}

function pruneExpired(windows: Map<string, { endsAt: number }>, t: number) {
  for (const [key, window] of windows) if (window.endsAt <= t) windows.delete(key);
}

/** Fixed windows in Postgres, shared by every web process; one upsert per hit. */
export function createDatabaseRateLimiter(db: Db): RateLimiter {
  return {
    async hit(key, limit, windowSeconds) {
      const result = await db.execute(sql`
        INSERT INTO rate_limits (key, count, window_ends_at)
        VALUES (${key}, 1, now() + make_interval(secs => ${windowSeconds}))
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN rate_limits.window_ends_at <= now() THEN 1 ELSE rate_limits.count + 1 END,
          window_ends_at = CASE WHEN rate_limits.window_ends_at <= now()
            THEN excluded.window_ends_at ELSE rate_limits.window_ends_at END
        RETURNING count, ceil(extract(epoch FROM window_ends_at - now()))::int AS retry_after`);
      const row = (result as unknown as { rows: { count: number; retry_after: number }[] }).rows[0]!;
      return { allowed: row.count <= limit, retryAfterSeconds: Math.max(1, Number(row.retry_after)) };
    },
  };
}
