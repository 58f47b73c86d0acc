import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "@/server/http/api-v1";
import { requireCtx } from "@/server/http/require-ctx";
import { errorResponses, IdParam, PageQuery } from "@/server/http/schemas";
import type { Core } from "@/features/core";
import { ledgerKinds } from "@/server/db/schema";
import { getLedgerEntry, listLedgerEntries } from "./server/statement";

const EntrySchema = z
  .object({
    id: z.uuid(),
    amount: z.number().int(),
    kind: z.enum(ledgerKinds),
    referenceType: z.string(),
    referenceId: z.string(),
    balanceAfter: z.number().int(),
    meta: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
  })
  .openapi("LedgerEntry");

type EntryRow = Awaited<ReturnType<typeof getLedgerEntry>>;
const view = (e: EntryRow) => ({
  id: e.id,
  amount: e.amount,
  kind: e.kind,
  referenceType: e.referenceType,
  referenceId: e.referenceId,
  balanceAfter: e.balanceAfter,
  meta: e.meta ?? null,
  createdAt: e.createdAt.toISOString(),
});

export function registerCreditRoutes(api: ApiApp, _rt: Core) {
  api.openapi(
    createRoute({
      method: "get",
      path: "/ledger",
      summary: "The statement: every credit movement, newest first",
      request: { query: PageQuery },
      responses: {
        200: {
          description: "A page of entries",
          content: {
            "application/json": {
              schema: z.object({
                entries: z.array(EntrySchema),
                nextCursor: z.string().nullable(),
                account: z.object({ id: z.uuid(), balance: z.number().int(), held: z.number().int() }),
              }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const page = await listLedgerEntries({ ctx: requireCtx(c), input: c.req.valid("query") });
      const { id, balance, held } = page.account;
      return c.json(
        { entries: page.entries.map(view), nextCursor: page.nextCursor, account: { id, balance, held } },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/ledger/{id}",
      summary: "One ledger entry",
      request: { params: IdParam },
      responses: {
        200: {
          description: "The entry",
          content: { "application/json": { schema: z.object({ entry: EntrySchema }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json({ entry: view(await getLedgerEntry({ ctx: requireCtx(c), input: c.req.valid("param") })) }, 200),
  );
}
