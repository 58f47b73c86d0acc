import "server-only";
import { OpenAPIHono } from "@hono/zod-openapi";
import { registerAdminRoutes } from "@/features/admin/api";
import { registerAssetRoutes } from "@/features/assets/api";
import { registerAuthRoutes } from "@/features/auth/api";
import { registerBillingRoutes } from "@/features/billing/api";
import { registerCreditRoutes } from "@/features/credits/api";
import { registerGeneratorRoutes } from "@/features/generators/api";
import { registerJobRoutes } from "@/features/jobs/api";
import { registerProviderRoutes } from "@/features/providers/api";
import { AppError, notFound } from "../errors";
import type { Runtime } from "../runtime";
import { zodFieldErrors } from "../validation";
import type { ApiEnv } from "./types";

export type ApiApp = OpenAPIHono<ApiEnv>;

/** The public REST API. The web UI uses it too, with its session cookie. */
export function createApiV1(rt: Runtime): ApiApp {
  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new AppError("validation_failed", { fields: zodFieldErrors(result.error) });
    },
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "better-auth.session_token",
  });

  registerAuthRoutes(api, rt);
  registerAssetRoutes(api, rt);
  registerGeneratorRoutes(api, rt);
  registerJobRoutes(api, rt);
  registerCreditRoutes(api, rt);
  registerAdminRoutes(api, rt);
  registerBillingRoutes(api, rt);
  registerProviderRoutes(api, rt);

  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Pixelwerk API",
      version: "1.0.0",
      description: "Jobs, assets, generators and credits. Errors are { error: { code, message } }.",
    },
    servers: [{ url: `${rt.env.APP_URL}/api/v1` }],
    security: [{ session: [] }],
  });
  // Last: unknown paths answer through the one error mapping, so in the caller's language.
  api.all("*", () => {
    throw notFound();
  });
  return api;
}
