import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx, SqlExecutor } from "./types";

/**
 * Runs pg-boss's positional SQL ($1, $2, ...) on a Drizzle database or transaction, so a job can be
 * enqueued inside the same transaction that places the hold and inserts the job row.
 */
export function drizzleExecutor(db: DbOrTx): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const result = await db.execute(toDrizzleSql(text, values));
      return { rows: (result as unknown as { rows: Record<string, unknown>[] }).rows };
    },
  };
}

export function toDrizzleSql(text: string, values: unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= values.length) continue;
    chunks.push(sql.raw(text.slice(last, match.index)));
    // Drizzle drops `undefined` from templates; pg-boss means NULL by it.
    chunks.push(sql`${values[index] ?? null}`);
    last = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks, sql.raw(""));
}
