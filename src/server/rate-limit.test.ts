import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
