import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * `column IN ('a', 'b', ...)` with the values written as literals, for a CHECK constraint:
 * drizzle-kit writes a CHECK's SQL into the migration as text, so it cannot take parameters.
 * The values are our own constants (kinds, statuses); a quote in one would be a bug, so it throws.
 */
export function oneOf(column: PgColumn, values: readonly string[]): SQL {
  if (values.some((value) => !/^[a-z0-9_]+$/.test(value))) throw new Error(`not a plain identifier: ${values}`);
  return sql`${column} IN (${sql.raw(values.map((value) => `'${value}'`).join(", "))})`;
}
