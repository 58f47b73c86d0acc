import "server-only";
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import type { Db } from "../db/types";
import type { Env } from "../env";
import { negotiateLocale } from "../i18n";
import type { logger } from "../logger";
import { limitRequestBodies } from "./body-limit";
import { readCookie } from "./cookies";
import { errorResponse } from "./errors";
import type { ApiEnv } from "./types";

/**
 * The infrastructure part of the HTTP app, with no feature in it: request id and locale on every
 * request, body limits, the one error mapping and the health check. The composition root
 * (src/bootstrap/create-web-app.ts) adds sessions, routes and image URLs.
 */
export function createBaseApp(deps: { env: Env; db: Db; logger: typeof logger }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.use("*", async (c, next) => {
    c.set("requestId", c.req.header("x-request-id")?.slice(0, 64) || randomUUID());
    c.set(
      "locale",
      negotiateLocale(readCookie(c.req.header("cookie"), "NEXT_LOCALE"), c.req.header("accept-language")),
    );
    c.set("ctx", undefined);
    await next();
    c.header("X-Request-Id", c.get("requestId"));
  });
  app.use("*", limitRequestBodies(deps.env));

  app.onError((error, c) =>
    errorResponse(c, error, {
      locale: c.get("locale") ?? "en",
      requestId: c.get("requestId") ?? "-",
      log: (msg, extra) => deps.logger.error(extra, msg),
    }),
  );

  app.get("/api/health", async (c) => {
    await deps.db.execute(sql`select 1`);
    return c.json({ status: "ok", mode: deps.env.mode });
  });
  return app;
}
