import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "@/server/http/api-v1";
import { requireCtx } from "@/server/http/require-ctx";
import { errorResponses } from "@/server/http/schemas";
import type { Core } from "@/features/core";
import { enabledSocialProviders } from "./server/auth";
import { getMe } from "./server/me";

const MeSchema = z
  .object({
    user: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      role: z.enum(["user", "admin"]),
      emailVerified: z.boolean(),
    }),
    account: z.object({ id: z.uuid(), balance: z.number().int(), held: z.number().int() }),
  })
  .openapi("Me");

export function registerAuthRoutes(api: ApiApp, rt: Core) {
  api.openapi(
    createRoute({
      method: "get",
      path: "/me",
      summary: "The signed-in user and their account (balance, held)",
      responses: {
        200: { description: "Me", content: { "application/json": { schema: MeSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => c.json(await getMe({ ctx: requireCtx(c) }), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/auth-providers",
      summary: "Social sign-in providers configured on this server",
      security: [],
      responses: {
        200: {
          description: "Providers",
          content: { "application/json": { schema: z.object({ providers: z.array(z.string()) }) } },
        },
      },
    }),
    (c) => c.json({ providers: enabledSocialProviders(rt.env) }, 200),
  );
}
