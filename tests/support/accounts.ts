import { eq, sql } from "drizzle-orm";
import { readLedgerTotals } from "@/features/credits/server/ledger";
import { holds, jobs, ledgerEntries } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import type { TestUser } from "./client";
import { testSystemCtx } from "./system-ctx";

export async function accountIdOf(user: TestUser): Promise<string> {
  const me = await user.json<{ account: { id: string } }>("/api/v1/me");
  return me.body.account.id;
}

/** Everything the money invariants talk about, read straight from the database. */
export async function moneyState(db: Db, accountId: string) {
  const totals = await readLedgerTotals({ ctx: testSystemCtx(db), input: { accountId } });
  const entries = await db.select().from(ledgerEntries).where(eq(ledgerEntries.accountId, accountId));
  const holdRows = await db.select().from(holds).where(eq(holds.accountId, accountId));
  const jobRows = await db.select().from(jobs).where(eq(jobs.accountId, accountId));
  const [queued] = await db
    .execute(sql`select count(*)::int as n from pgboss.job where name = 'run-job'`)
    .then((r) => (r as unknown as { rows: { n: number }[] }).rows);
  return {
    ...totals,
    entries,
    holds: holdRows,
    jobs: jobRows,
    queueRows: queued?.n ?? 0,
    count: (kind: string) => entries.filter((e) => e.kind === kind).length,
  };
}
