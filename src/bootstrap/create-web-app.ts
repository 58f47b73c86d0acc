import "server-only";
import type { Hono } from "hono";
import { registerAdminRoutes } from "@/features/admin/api";
import { registerAssetRoutes } from "@/features/assets/api";
import { registerAuthRoutes } from "@/features/auth/api";
import { resolveSessionCtx } from "@/features/auth/server/resolve-actor";
import { isThrottledAuthPath, throttleAuthAttempt } from "@/features/auth/server/throttle";
import { registerBillingRoutes, registerStripeWebhook } from "@/features/billing/api";
import type { Core } from "@/features/core";
import { registerCreditRoutes } from "@/features/credits/api";
import { registerGeneratorRoutes } from "@/features/generators/api";
import { registerJobRoutes } from "@/features/jobs/api";
import { registerProviderRoutes } from "@/features/providers/api";
import { createImageRoutes } from "@/features/transforms/api";
import { notFound } from "@/server/errors";
import { limitApiRequests } from "@/server/http/api-rate-limit";
import { createApiApp, finishApiApp, type ApiApp } from "@/server/http/api-v1";
import { createBaseApp } from "@/server/http/app";
import { clientAddress } from "@/server/http/client-address";
import { checkRequestOrigin } from "@/server/http/origin-check";
import type { ApiEnv } from "@/server/http/types";

/** Everything under /api (health, better-auth at /api/auth, the REST API at /api/v1) and the /i image URLs. */
export function createWebApp(core: Core): Hono<ApiEnv> {
  const app = createBaseApp(core);

  app.on(["GET", "POST"], "/api/auth/*", async (c) => {
    if (c.req.method === "POST" && isThrottledAuthPath(c.req.path)) {
      const body = (await c.req.raw
        .clone()
        .json()
        .catch(() => ({}))) as { email?: unknown };
      await throttleAuthAttempt(core.rateLimiter, {
        pathname: c.req.path,
        email: typeof body.email === "string" ? body.email : undefined,
        address: clientAddress(c, core.env.TRUST_PROXY),
      });
    }
    return core.auth.handler(c.req.raw);
  });

  // Resolve the session once per request; routes that need it call requireCtx.
  app.use("/api/v1/*", async (c, next) => {
    const input = { headers: c.req.raw.headers, locale: c.get("locale"), requestId: c.get("requestId") };
    c.set("ctx", await resolveSessionCtx({ auth: core.auth, services: core.services, input }));
    await next();
  });
  app.use("/api/v1/*", checkRequestOrigin(core.env.publicOrigins, core.env.APP_URL));
  const { API_RATE_LIMIT_PER_MINUTE: perMinute, TRUST_PROXY: trustProxy } = core.env;
  app.use("/api/v1/*", limitApiRequests(core.rateLimiter, { perMinute, trustProxy }));

  registerStripeWebhook(app, core);
  app.route("/api/v1", createApiV1(core));
  // ImageKit-style image URLs: /i/<asset>/tr:<steps> (signed or with the owner's session).
  app.route("/i", createImageRoutes(core));
  app.notFound(() => {
    throw notFound();
  });
  return app;
}

/** The public REST API. The web UI uses it too, with its session cookie. */
function createApiV1(core: Core): ApiApp {
  const api = createApiApp();
  registerAuthRoutes(api, core);
  registerAssetRoutes(api, core);
  registerGeneratorRoutes(api, core);
  registerJobRoutes(api, core);
  registerCreditRoutes(api, core);
  registerAdminRoutes(api, core);
  registerBillingRoutes(api, core);
  registerProviderRoutes(api, core);
  finishApiApp(api, core.env.APP_URL);
  return api;
}
