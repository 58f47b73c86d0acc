import "server-only";
import { OpenAPIHono } from "@hono/zod-openapi";
import { AppError, notFound } from "../errors";
import { zodFieldErrors } from "../validation";
import type { ApiEnv } from "./types";

export type ApiApp = OpenAPIHono<ApiEnv>;

/** The public REST API's app, before any route: validation errors go through the one error mapping. */
export function createApiApp(): ApiApp {
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
  return api;
}

/** After the routes: the OpenAPI document, then a 404 for unknown paths (in the caller's language). */
export function finishApiApp(api: ApiApp, appUrl: string): void {
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Pixelwerk API",
      version: "1.0.0",
      description: "Jobs, assets, generators and credits. Errors are { error: { code, message } }.",
    },
    servers: [{ url: `${appUrl}/api/v1` }],
    security: [{ session: [] }],
  });
  api.all("*", () => {
    throw notFound();
  });
}
