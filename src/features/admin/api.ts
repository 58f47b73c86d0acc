import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "@/server/http/api-v1";
import { requireCtx } from "@/server/http/require-ctx";
import { errorResponses } from "@/server/http/schemas";
import type { Runtime } from "@/server/runtime";
import { listOutboxMessages } from "./server/outbox";

export function registerAdminRoutes(api: ApiApp, _rt: Runtime) {
  api.openapi(
    createRoute({
      method: "get",
      path: "/admin/outbox",
      summary: "Admins: the mail outbox (used when no SMTP_URL is set)",
      responses: {
        200: {
          description: "Newest first",
          content: {
            "application/json": {
              schema: z.object({
                messages: z.array(z.object({ id: z.uuid(), to: z.string(), subject: z.string(), text: z.string(), createdAt: z.string() })),
              }),
            },
          },
        },
        403: { description: "Not an admin" },
        ...errorResponses,
      },
    }),
    async (c) => c.json({ messages: await listOutboxMessages({ ctx: requireCtx(c) }) }, 200),
  );
}
