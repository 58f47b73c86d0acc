import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts, ledgerEntries, users } from "@/server/db/schema";
import { openTestDatabase } from "../../../../tests/support/database";
import { testSystemCtx } from "../../../../tests/support/system-ctx";
import { ensurePersonalAccount } from "./accounts";
import { placeHold, resolveHold } from "./holds";
import { postLedgerEntry, readLedgerTotals } from "./ledger";

describe("the ledger", () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database?.close());

  async function newAccount(): Promise<string> {
    const userId = randomUUID();
    await database.db.insert(users).values({ id: userId, name: "U", email: `${userId}@example.com` });
    return ensurePersonalAccount({ ctx: testSystemCtx(database.db), input: { userId } });
  }

  it("grants starter credits once, however often the account is ensured", async () => {
    const userId = randomUUID();
    await database.db.insert(users).values({ id: userId, name: "U", email: `${userId}@example.com` });
    const ctx = testSystemCtx(database.db);
    const ids = await Promise.all([1, 2, 3].map(() => ensurePersonalAccount({ ctx, input: { userId } })));
    expect(new Set(ids).size).toBe(1);
    expect(await readLedgerTotals({ ctx: testSystemCtx(database.db), input: { accountId: ids[0]! } })).toEqual({
      balance: 50,
      held: 0,
      entriesSum: 50,
    });
  });

  it("posts an idempotency key once", async () => {
    const accountId = await newAccount();
    const entry = {
      accountId,
      amount: 7,
      kind: "admin_adjustment" as const,
      referenceType: "admin" as const,
      referenceId: "test",
      idempotencyKey: `grant:${accountId}`,
    };
    const first = await database.db.transaction((tx) => postLedgerEntry(tx, entry));
    const second = await database.db.transaction((tx) => postLedgerEntry(tx, entry));
    expect([first, second]).toEqual([
      { posted: true, balance: 57 },
      { posted: false, balance: 57 },
    ]);
  });

  it("refuses to go below zero and writes nothing", async () => {
    const accountId = await newAccount();
    const jobId = randomUUID();
    await expect(
      database.db.transaction((tx) => placeHold(tx, { accountId, jobId, amount: 51, generator: "resize" })),
    ).rejects.toMatchObject({ code: "insufficient_credits", params: { price: 51, balance: 50 } });
    expect(await readLedgerTotals({ ctx: testSystemCtx(database.db), input: { accountId: accountId } })).toEqual({
      balance: 50,
      held: 0,
      entriesSum: 50,
    });
  });

  it("holds, then captures or releases exactly once", async () => {
    const accountId = await newAccount();
    const [a, b] = [randomUUID(), randomUUID()];
    await database.db.transaction(async (tx) => {
      await placeHold(tx, { accountId, jobId: a, amount: 5, generator: "resize" });
      await placeHold(tx, { accountId, jobId: b, amount: 3, generator: "resize" });
    });
    expect(await readLedgerTotals({ ctx: testSystemCtx(database.db), input: { accountId: accountId } })).toEqual({
      balance: 42,
      held: 8,
      entriesSum: 42,
    });
    const outcomes = await Promise.all([
      database.db.transaction((tx) => resolveHold(tx, { jobId: a, resolution: "captured" })),
      database.db.transaction((tx) => resolveHold(tx, { jobId: a, resolution: "released" })),
      database.db.transaction((tx) => resolveHold(tx, { jobId: b, resolution: "released" })),
      database.db.transaction((tx) => resolveHold(tx, { jobId: b, resolution: "released" })),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(2);
    const totals = await readLedgerTotals({ ctx: testSystemCtx(database.db), input: { accountId: accountId } });
    expect(totals.held).toBe(0);
    expect(totals.balance).toBe(totals.entriesSum);
    expect([45, 50]).toContain(totals.balance); // a captured (45) or released (50), b released
  });

  it("entries are immutable and the balance can never be negative in the database", async () => {
    const accountId = await newAccount();
    await expect(
      database.db.update(ledgerEntries).set({ amount: 1000 }).where(eq(ledgerEntries.accountId, accountId)),
    ).rejects.toThrow();
    await expect(database.db.delete(ledgerEntries).where(eq(ledgerEntries.accountId, accountId))).rejects.toThrow();
    await expect(
      database.db
        .update(accounts)
        .set({ balance: sql`-1` })
        .where(eq(accounts.id, accountId)),
    ).rejects.toThrow();
    expect(await readLedgerTotals({ ctx: testSystemCtx(database.db), input: { accountId: accountId } })).toEqual({
      balance: 50,
      held: 0,
      entriesSum: 50,
    });
  });
});
