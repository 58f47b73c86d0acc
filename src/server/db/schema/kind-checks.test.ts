import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts, users } from "@/server/db/schema";
import { openTestDatabase } from "../../../../tests/support/database";

/** The postgres error behind drizzle's wrapper: the CHECK that refused the row. */
function refusedBy(error: unknown): { code?: string; constraint?: string } {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const { code, constraint } = cause as { code?: string; constraint?: string };
  return { code, constraint };
}

async function insertFails(run: () => Promise<unknown>): Promise<{ code?: string; constraint?: string }> {
  try {
    await run();
  } catch (error) {
    return refusedBy(error);
  }
  throw new Error("the insert succeeded");
}

describe("kinds the database accepts", () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let accountId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    const userId = randomUUID();
    await database.db.insert(users).values({ id: userId, name: "U", email: `${userId}@example.com` });
    const [account] = await database.db.insert(accounts).values({ ownerUserId: userId }).returning();
    accountId = account!.id;
  });
  afterAll(() => database?.close());

  const ledgerEntry = (kind: string) => sql`
    INSERT INTO ledger_entries (account_id, amount, kind, reference_type, reference_id, idempotency_key, balance_after)
    VALUES (${accountId}, 0, ${kind}, 'admin', 'test', ${randomUUID()}, 0)`;
  const asset = (kind: string) => sql`
    INSERT INTO assets (account_id, kind, storage_key, mime, bytes, sha256)
    VALUES (${accountId}, ${kind}, ${randomUUID()}, 'image/png', 1, 'x')`;

  it("stores a ledger entry of a known kind and refuses an unknown one", async () => {
    await database.db.execute(ledgerEntry("admin_adjustment"));
    expect(await insertFails(() => database.db.execute(ledgerEntry("bonus")))).toEqual({
      code: "23514",
      constraint: "ledger_entries_kind_known",
    });
  });

  it("stores an asset of a known kind and refuses an unknown one", async () => {
    await database.db.execute(asset("upload"));
    expect(await insertFails(() => database.db.execute(asset("thumbnail")))).toEqual({
      code: "23514",
      constraint: "assets_kind_known",
    });
  });
});
