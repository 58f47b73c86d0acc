import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openTestDatabase } from "../../tests/support/database";
import { createDatabaseRateLimiter, createMemoryRateLimiter, type RateLimiter } from "./rate-limit";

async function hits(limiter: RateLimiter, key: string, n: number) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await limiter.hit(key, 3, 60));
  return results.map((r) => r.allowed);
}

describe("rate limiters", () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database?.close());

  it("in memory: allows the limit per window, then refuses, per key; a new window starts fresh", async () => {
    let now = 0;
    const limiter = createMemoryRateLimiter(() => now);
    expect(await hits(limiter, "a", 4)).toEqual([true, true, true, false]);
    expect(await hits(limiter, "b", 1)).toEqual([true]);
    expect((await limiter.hit("a", 3, 60)).retryAfterSeconds).toBe(60);
    now = 61_000;
    expect(await hits(limiter, "a", 1)).toEqual([true]);
  });

  it("in the database: the same rules, shared by every process", async () => {
    const limiter = createDatabaseRateLimiter(database.db);
    const other = createDatabaseRateLimiter(database.db);
    expect(await hits(limiter, "a", 2)).toEqual([true, true]);
    expect(await hits(other, "a", 2)).toEqual([true, false]);
    const refused = await limiter.hit("a", 3, 60);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(await hits(limiter, "b", 1)).toEqual([true]);
  });

  it("in the database: expired windows are deleted, live ones kept", async () => {
    await database.db.execute(sql`
      INSERT INTO rate_limits (key, count, window_ends_at)
      SELECT 'old:' || i, 1, now() - interval '1 minute' FROM generate_series(1, 300) AS i`);
    let now = 0;
    const limiter = createDatabaseRateLimiter(database.db, () => now);
    await limiter.hit("live", 3, 60);
    const count = async (pattern: string) =>
      Number(
        (
          (await database.db.execute(
            sql`SELECT count(*)::int AS n FROM rate_limits WHERE key LIKE ${pattern}`,
          )) as unknown as {
            rows: { n: number }[];
          }
        ).rows[0]!.n,
      );
    expect(await count("old:%")).toBe(0);
    expect(await count("live")).toBe(1);
    // Once a minute at most: a hit within the minute does not prune again.
    await database.db.execute(
      sql`INSERT INTO rate_limits (key, count, window_ends_at) VALUES ('old:x', 1, now() - interval '1 minute')`,
    );
    now = 30_000;
    await limiter.hit("live", 3, 60);
    expect(await count("old:%")).toBe(1);
    now = 61_000;
    await limiter.hit("live", 3, 60);
    expect(await count("old:%")).toBe(0);
  });
});
