import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { ledgerEntries } from "@/server/db/schema";
import { requireAccountId, type Ctx } from "@/server/context";
import { notFound } from "@/server/errors";
import { afterCursor, toPage } from "@/server/pagination";
import { getAccountSummary } from "./accounts";

export type ListLedgerInput = { limit: number; cursor?: string };

/** The account's statement, newest first, keyset-paginated so pages stay stable as entries arrive. */
export async function listLedgerEntries({ ctx, input }: { ctx: Ctx; input: ListLedgerInput }) {
  const accountId = requireAccountId(ctx);
  const rows = await ctx.db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.accountId, accountId), afterCursor(ledgerEntries, input.cursor)))
    .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
    .limit(input.limit + 1);
  const { page, nextCursor } = toPage(rows, input.limit);
  return { entries: page, nextCursor, account: await getAccountSummary({ ctx, input: { accountId } }) };
}

export async function getLedgerEntry({ ctx, input }: { ctx: Ctx; input: { id: string } }) {
  const [row] = await ctx.db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.id, input.id), eq(ledgerEntries.accountId, requireAccountId(ctx))));
  if (!row) throw notFound();
  return row;
}
