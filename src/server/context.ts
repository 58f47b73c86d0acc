import "server-only";
import type { CpuQueue } from "./cpu-queue";
import type { Db, DbOrTx } from "./db/types";
import type { Env } from "./env";
import type { KeyedEvents } from "./events";
import type { Locale } from "./i18n";
import type { logger } from "./logger";
import type { Mailer } from "./mail/mailer";
import type { QueueSender } from "./queue/registry";
import type { Storage } from "./storage/types";

/** Who is acting. API keys and teams arrive in later issues; the shape already allows them. */
export type Actor = { type: "user"; userId: string; role: "user" | "admin" } | { type: "system"; reason: string };

export type Clock = { now(): Date };

/** The process-wide services every business function may use, built once by the composition root. */
export type Services = {
  env: Env;
  /** The root database: for work that opens its own transaction. Queries of the caller use `ctx.db`. */
  db: Db;
  queue: QueueSender;
  storage: Storage;
  /** Bounds CPU-heavy work on the request path (decoding, image operations). */
  cpu: CpuQueue;
  /** Keyed change notifications (a job id changed), in this process. */
  events: KeyedEvents;
  clock: Clock;
  logger: typeof logger;
  mailer: Mailer;
};

/**
 * Passed to every business function. Owned-data queries filter by `accountId`; `db` may be a
 * transaction so callers can compose operations atomically (`{ ...ctx, db: tx }`).
 */
export type Ctx = {
  actor: Actor;
  accountId: string | null;
  db: DbOrTx;
  locale: Locale;
  requestId: string;
  services: Services;
};

export function systemCtx(services: Services, reason: string): Ctx {
  return {
    actor: { type: "system", reason },
    accountId: null,
    db: services.db,
    locale: "en",
    requestId: `system:${reason}`,
    services,
  };
}

export function requireAccountId(ctx: Ctx): string {
  if (!ctx.accountId) throw new Error("this operation needs an account in ctx");
  return ctx.accountId;
}

export function requireUserId(ctx: Ctx): string {
  if (ctx.actor.type !== "user") throw new Error("this operation needs a user actor");
  return ctx.actor.userId;
}
