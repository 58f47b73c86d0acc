import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "@/server/http/api-v1";
import { requireCtx } from "@/server/http/require-ctx";
import { errorResponses, ErrorSchema, PageQuery } from "@/server/http/schemas";
import type { Core } from "@/features/core";
import { listAdminJobs, summarizeCosts } from "./server/job-costs";
import { listOutboxMessages } from "./server/outbox";

const micros = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `${description}, in millionths of a US dollar` });

const AdminJobSchema = z
  .object({
    id: z.uuid(),
    accountId: z.uuid(),
    generator: z.string(),
    status: z.string(),
    createdAt: z.string(),
    price: z.number().int().openapi({ description: "Credits" }),
    revenueMicros: micros("Captured credits × the credit's value (0 unless the job succeeded)"),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    providerCostMicros: micros("What every provider call of the job cost"),
    marginMicros: micros("Revenue − provider cost"),
    latencyMs: z.number().int().nullable(),
    providerCalls: z.number().int(),
    failedCalls: z.number().int(),
  })
  .openapi("AdminJob");

const CostTotalsSchema = z.object({
  jobs: z.number().int(),
  succeeded: z.number().int(),
  credits: z.number().int().openapi({ description: "Credits captured" }),
  revenueMicros: micros("Revenue"),
  providerCostMicros: micros("Provider cost"),
  marginMicros: micros("Revenue − provider cost"),
  avgLatencyMs: z.number().int().nullable(),
  calls: z.number().int(),
  failedCalls: z.number().int(),
  failureRate: z.number().nullable().openapi({ description: "Failed provider calls / provider calls" }),
});

const CostSummarySchema = z
  .object({
    days: z.number().int(),
    since: z.string(),
    creditValueMicros: micros("The value of one credit"),
    totals: CostTotalsSchema,
    byGenerator: z.array(CostTotalsSchema.extend({ generator: z.string() })),
    byProvider: z.array(CostTotalsSchema.extend({ provider: z.string() })),
  })
  .openapi("CostSummary");

const forbidden = {
  403: { description: "forbidden: not an admin", content: { "application/json": { schema: ErrorSchema } } },
};

export function registerAdminRoutes(api: ApiApp, _rt: Core) {
  api.openapi(
    createRoute({
      method: "get",
      path: "/admin/jobs",
      summary: "Admins: recent jobs of every account with revenue, provider cost and margin",
      request: { query: PageQuery },
      responses: {
        200: {
          description: "Newest first",
          content: {
            "application/json": {
              schema: z.object({ jobs: z.array(AdminJobSchema), nextCursor: z.string().nullable() }),
            },
          },
        },
        ...forbidden,
        ...errorResponses,
      },
    }),
    async (c) => c.json(await listAdminJobs({ ctx: requireCtx(c), input: c.req.valid("query") }), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/admin/costs",
      summary: "Admins: totals per generator and per provider over the last days",
      request: { query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }) },
      responses: {
        200: { description: "Totals", content: { "application/json": { schema: CostSummarySchema } } },
        ...forbidden,
        ...errorResponses,
      },
    }),
    async (c) => c.json(await summarizeCosts({ ctx: requireCtx(c), input: c.req.valid("query") }), 200),
  );

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
                messages: z.array(
                  z.object({
                    id: z.uuid(),
                    to: z.string(),
                    subject: z.string(),
                    text: z.string(),
                    createdAt: z.string(),
                  }),
                ),
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
