import { and, desc, eq, lt, or } from "drizzle-orm";
import { ledgerEntries } from "@/server/db/schema";
import { requireAccountId, type Ctx } from "@/server/context";
import { notFound } from "@/server/errors";
import { decodeCursor, encodeCursor } from "@/server/pagination";
import { getAccountSummary } from "./accounts";

export type ListLedgerInput = { limit: number; cursor?: string };

/** The account's statement, newest first, keyset-paginated so pages stay stable as entries arrive. */
export async function listLedgerEntries({ ctx, input }: { ctx: Ctx; input: ListLedgerInput }) {
  const accountId = requireAccountId(ctx);
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.accountId, accountId),
        after
          ? or(
              lt(ledgerEntries.createdAt, after.createdAt),
              and(eq(ledgerEntries.createdAt, after.createdAt), lt(ledgerEntries.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    entries: page,
    nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null,
    account: await getAccountSummary({ db: ctx.db, accountId }),
  };
}

export async function getLedgerEntry({ ctx, input }: { ctx: Ctx; input: { id: string } }) {
  const [row] = await ctx.db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.id, input.id), eq(ledgerEntries.accountId, requireAccountId(ctx))));
  if (!row) throw notFound();
  return row;
}
