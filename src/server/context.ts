import type { Db, DbOrTx } from "./db/types";
import type { Locale } from "./i18n";

/** Who is acting. API keys and teams arrive in later issues; the shape already allows them. */
export type Actor =
  | { type: "user"; userId: string; role: "user" | "admin" }
  | { type: "system"; reason: string };

/**
 * Passed to every business function. Owned-data queries filter by `accountId`; `db` may be a
 * transaction so callers can compose operations atomically.
 */
export type Ctx = {
  actor: Actor;
  accountId: string | null;
  db: DbOrTx;
  locale: Locale;
  requestId: string;
};

export function systemCtx(db: Db, reason: string): Ctx {
  return { actor: { type: "system", reason }, accountId: null, db, locale: "en", requestId: `system:${reason}` };
}

export function requireAccountId(ctx: Ctx): string {
  if (!ctx.accountId) throw new Error("this operation needs an account in ctx");
  return ctx.accountId;
}

export function requireUserId(ctx: Ctx): string {
  if (ctx.actor.type !== "user") throw new Error("this operation needs a user actor");
  return ctx.actor.userId;
}
