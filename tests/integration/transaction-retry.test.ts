import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryTransaction } from "@/server/db/retry-transaction";
import { accounts } from "@/server/db/schema";
import type { Tx } from "@/server/db/types";
import { accountIdOf } from "../support/accounts";
import { databaseKind } from "../support/database";
import { signUpAndIn } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";

describe("retryTransaction: a deadlock or serialization failure is rerun, never answered", () => {
  let server: TestServer;
  let first: string;
  let second: string;

  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
    first = await accountIdOf(await signUpAndIn(server.baseUrl));
    second = await accountIdOf(await signUpAndIn(server.baseUrl));
  });
  afterAll(() => server?.close());

  const held = async (accountId: string) =>
    (await server.rt.db.select({ held: accounts.held }).from(accounts).where(eq(accounts.id, accountId)))[0]!.held;

  it("an attempt aborted with 40P01 is rolled back and run again; other errors are not retried", async () => {
    const before = await held(first);
    let attempts = 0;
    await retryTransaction(server.rt.db, async (tx) => {
      attempts++;
      await tx
        .update(accounts)
        .set({ held: sql`${accounts.held} + 1` })
        .where(eq(accounts.id, first));
      if (attempts === 1) throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
    });
    expect(attempts).toBe(2);
    expect(await held(first)).toBe(before + 1); // the first attempt's write was rolled back

    let plain = 0;
    await expect(
      retryTransaction(server.rt.db, async () => {
        plain++;
        throw Object.assign(new Error("unique"), { code: "23505" });
      }),
    ).rejects.toThrow("unique");
    expect(plain).toBe(1);
  });

  // Two connections taking two account rows in opposite orders: Postgres aborts one with 40P01.
  // (PGlite runs one transaction at a time, so only a Postgres server can deadlock.)
  // Defined only there, so a PGlite run reports no skipped test.
  if (databaseKind === "postgres")
    it("two transactions locking in opposite orders both commit", async () => {
      const before = [await held(first), await held(second)];
      let bothIn!: () => void;
      const barrier = new Promise<void>((resolve) => {
        let count = 0;
        bothIn = () => ++count === 2 && resolve();
      });
      const attempts = { a: 0, b: 0 };
      const crossed = (name: "a" | "b", one: string, other: string) => async (tx: Tx) => {
        attempts[name]++;
        await tx
          .update(accounts)
          .set({ held: sql`${accounts.held} + 1` })
          .where(eq(accounts.id, one));
        if (attempts[name] === 1) {
          bothIn();
          await barrier;
        }
        await tx
          .update(accounts)
          .set({ held: sql`${accounts.held} + 1` })
          .where(eq(accounts.id, other));
        return randomUUID();
      };
      const results = await Promise.allSettled([
        retryTransaction(server.rt.db, crossed("a", first, second)),
        retryTransaction(server.rt.db, crossed("b", second, first)),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
      expect(attempts.a + attempts.b).toBe(3); // exactly one of them was aborted and rerun
      expect([await held(first), await held(second)]).toEqual([before[0]! + 2, before[1]! + 2]);
    });
});
