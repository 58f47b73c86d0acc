import "server-only";
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import { resolveSessionActor } from "@/features/auth/server/resolve-actor";
import { isThrottledAuthPath, throttleAuthAttempt } from "@/features/auth/server/throttle";
import type { Runtime } from "../runtime";
import { negotiateLocale } from "../i18n";
import { readCookie } from "./cookies";
import { errorResponse } from "./errors";
import { notFound } from "../errors";
import { limitRequestBodies } from "./body-limit";
import { clientAddress } from "./client-address";
import { checkRequestOrigin } from "./origin-check";
import { limitApiRequests } from "./api-rate-limit";
import { createApiV1 } from "./api-v1";
import { createImageRoutes } from "@/features/transforms/api";
import { registerStripeWebhook } from "@/features/billing/api";
import type { ApiEnv } from "./types";

/** Everything under /api (health, better-auth at /api/auth, the public REST API at /api/v1) and the /i image URLs. */
export function createHttpApp(rt: Runtime): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.use("*", async (c, next) => {
    c.set("requestId", c.req.header("x-request-id")?.slice(0, 64) || randomUUID());
    c.set("locale", negotiateLocale(readCookie(c.req.header("cookie"), "NEXT_LOCALE"), c.req.header("accept-language")));
    c.set("ctx", undefined);
    await next();
    c.header("X-Request-Id", c.get("requestId"));
  });
  app.use("*", limitRequestBodies(rt.env));

  app.onError((error, c) =>
    errorResponse(c, error, {
      locale: c.get("locale") ?? "en",
      requestId: c.get("requestId") ?? "-",
      log: (msg, extra) => rt.logger.error(extra, msg),
    }),
  );

  app.get("/api/health", async (c) => {
    await rt.db.execute(sql`select 1`);
    return c.json({ status: "ok", mode: rt.env.mode });
  });

  app.on(["GET", "POST"], "/api/auth/*", async (c) => {
    if (c.req.method === "POST" && isThrottledAuthPath(c.req.path)) {
      const body = (await c.req.raw.clone().json().catch(() => ({}))) as { email?: unknown };
      await throttleAuthAttempt(rt.rateLimiter, {
        pathname: c.req.path,
        email: typeof body.email === "string" ? body.email : undefined,
        address: clientAddress(c, rt.env.TRUST_PROXY),
      });
    }
    return rt.auth.handler(c.req.raw);
  });

  // Resolve the session once per request; routes that need it call requireCtx.
  app.use("/api/v1/*", async (c, next) => {
    if (c.req.header("cookie")) {
      const session = await rt.auth.api.getSession({ headers: c.req.raw.headers });
      if (session) {
        const { role, accountId } = await resolveSessionActor({ db: rt.db, env: rt.env, userId: session.user.id });
        c.set("ctx", {
          actor: { type: "user", userId: session.user.id, role },
          accountId,
          db: rt.db,
          locale: c.get("locale"),
          requestId: c.get("requestId"),
          services: rt.services,
        });
      }
    }
    await next();
  });
  app.use("/api/v1/*", checkRequestOrigin(rt.env.publicOrigins, rt.env.APP_URL));
  app.use("/api/v1/*", limitApiRequests(rt.rateLimiter, { perMinute: rt.env.API_RATE_LIMIT_PER_MINUTE, trustProxy: rt.env.TRUST_PROXY }));

  registerStripeWebhook(app, rt);
  app.route("/api/v1", createApiV1(rt));
  // ImageKit-style image URLs: /i/<asset>/tr:<steps> (signed or with the owner's session).
  app.route("/i", createImageRoutes(rt));
  app.notFound(() => {
    throw notFound();
  });
  return app;
}
