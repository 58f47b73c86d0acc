import "server-only";
import { z } from "@hono/zod-openapi";

/** Shared OpenAPI schemas for answers. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional(),
      /** With plan_limit_exceeded: which limit (maxSide, concurrentJobs), the plan, max and requested. */
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  })
  .openapi("Error");

export const errorResponses = {
  400: { description: "Invalid input", content: { "application/json": { schema: ErrorSchema } } },
  401: { description: "Not signed in", content: { "application/json": { schema: ErrorSchema } } },
  404: {
    description: "Not found (also for other accounts' ids)",
    content: { "application/json": { schema: ErrorSchema } },
  },
} as const;

export const IdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor: z.string().max(200).optional(),
});

export const AssetSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(["upload", "output", "derived"]),
    mime: z.string(),
    bytes: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    name: z.string().nullable(),
    jobId: z.uuid().nullable(),
    createdAt: z.string(),
    url: z.string().openapi({ description: "Short-lived signed URL to the bytes; add &download=1 to download" }),
  })
  .openapi("Asset");
