import "server-only";
import { and, eq, lt, or, type AnyColumn, type SQL } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "./errors";

/** Opaque keyset cursor over (createdAt, id), newest first. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

/**
 * Exactly what encodeCursor writes. Anything else is the client's error, checked here because the
 * database would refuse it (a non-UUID id, year 0 or 275760) with a 500.
 */
const cursorParts = z.tuple([
  z.iso.datetime({ precision: 3 }).refine((iso) => !iso.startsWith("0000"), "year 0 does not exist"),
  z.uuid(),
]);

export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const parsed = cursorParts.safeParse(Buffer.from(cursor, "base64url").toString().split("|"));
  if (!parsed.success) throw new AppError("validation_failed", { fields: { cursor: ["invalid cursor"] } });
  const [iso, id] = parsed.data;
  return { createdAt: new Date(iso), id };
}

/** Rows strictly after the cursor in (createdAt desc, id desc) order; undefined on page one. */
export function afterCursor(
  columns: { createdAt: AnyColumn; id: AnyColumn },
  cursor: string | undefined,
): SQL | undefined {
  const after = decodeCursor(cursor);
  if (!after) return undefined;
  return or(
    lt(columns.createdAt, after.createdAt),
    and(eq(columns.createdAt, after.createdAt), lt(columns.id, after.id)),
  );
}

/** Callers fetch limit + 1 rows; the extra one only says whether there is a next page. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
