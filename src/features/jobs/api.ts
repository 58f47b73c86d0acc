import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { ApiApp } from "@/server/http/api-v1";
import { requireCtx } from "@/server/http/require-ctx";
import { errorResponses, IdParam } from "@/server/http/schemas";
import type { Core } from "@/features/core";
import { cancelJob } from "./server/cancel-job";
import { getJob, listJobs, toJobView } from "./server/job-view";
import { submitJobInput, submitJob } from "./server/submit-job";
import { streamJobEvents } from "./server/stream-job-events";
import { waitForJobEnd } from "./server/wait-for-job";

const JobSchema = z
  .object({
    id: z.uuid(),
    generator: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed", "canceled"]),
    progress: z.number().int(),
    price: z.number().int(),
    inputs: z.record(z.string(), z.unknown()),
    outputs: z.array(
      z.object({
        assetId: z.uuid(),
        url: z.string(),
        mime: z.string(),
        width: z.number().nullable(),
        height: z.number().nullable(),
        bytes: z.number(),
      }),
    ),
    result: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "Facts the tools report, e.g. which focus a crop used" }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    attempts: z.number().int(),
    provider: z.string().nullable().openapi({ description: "Who made the result: `local` or an AI provider's id" }),
    model: z.string().nullable().openapi({ description: "The provider's model, for AI providers" }),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi("Job");
const JobBody = { "application/json": { schema: z.object({ job: JobSchema }) } };

export function registerJobRoutes(api: ApiApp, _core: Core) {
  api.openapi(
    createRoute({
      method: "post",
      path: "/jobs",
      summary: "Run a generator. Credits are held now, charged on success, returned on failure.",
      description: "With `?wait=N` (up to 60 s) the answer waits for the job to end and is 200 when it did.",
      request: {
        query: z.object({ wait: z.coerce.number().int().min(0).max(60).default(0) }),
        headers: z.object({ "idempotency-key": z.string().min(1).max(200).optional() }),
        body: { required: true, content: { "application/json": { schema: submitJobInput } } },
      },
      responses: {
        200: { description: "Ended within `wait` seconds", content: JobBody },
        202: { description: "Accepted (or the earlier answer for a repeated Idempotency-Key)", content: JobBody },
        402: { description: "insufficient_credits", content: { "application/json": { schema: z.any() } } },
        409: { description: "idempotency_key_conflict: the key was used with other inputs" },
        ...errorResponses,
      },
    }),
    async (c) => {
      const ctx = requireCtx(c);
      const { job } = await submitJob({
        ctx,
        input: { ...c.req.valid("json"), idempotencyKey: c.req.valid("header")["idempotency-key"] },
      });
      const { wait } = c.req.valid("query");
      const current = wait > 0 ? await waitForJobEnd({ ctx, input: { id: job.id, seconds: wait } }) : job;
      const ended = current.status !== "queued" && current.status !== "running";
      return c.json({ job: await toJobView({ ctx, input: { job: current } }) }, ended ? 200 : 202);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/jobs",
      summary: "The account's recent jobs, newest first",
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
      responses: {
        200: {
          description: "Jobs",
          content: { "application/json": { schema: z.object({ jobs: z.array(JobSchema) }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const ctx = requireCtx(c);
      const rows = await listJobs({ ctx, input: c.req.valid("query") });
      return c.json({ jobs: await Promise.all(rows.map((job) => toJobView({ ctx, input: { job } }))) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/jobs/{id}",
      summary: "One job: status, progress, outputs with URLs, price, error",
      request: { params: IdParam },
      responses: { 200: { description: "The job", content: JobBody }, ...errorResponses },
    }),
    async (c) => {
      const ctx = requireCtx(c);
      const job = await getJob({ ctx, input: c.req.valid("param") });
      return c.json({ job: await toJobView({ ctx, input: { job } }) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/jobs/{id}/cancel",
      summary: "Cancel a queued or running job; its credits are given back",
      request: { params: IdParam },
      responses: {
        200: { description: "The canceled job", content: JobBody },
        409: { description: "job_not_cancelable: the job has already ended" },
        ...errorResponses,
      },
    }),
    async (c) => {
      const ctx = requireCtx(c);
      const job = await cancelJob({ ctx, input: c.req.valid("param") });
      return c.json({ job: await toJobView({ ctx, input: { job } }) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/jobs/{id}/events",
      summary: "Server-Sent Events: `event: job` with the job JSON on every change; ends when the job ends",
      request: { params: IdParam },
      responses: { 200: { description: "text/event-stream" }, ...errorResponses },
    }),
    async (c) => {
      const ctx = requireCtx(c);
      const job = await getJob({ ctx, input: c.req.valid("param") });
      return streamSSE(c, (stream) => streamJobEvents({ ctx, input: { stream, jobId: job.id } }));
    },
  );
}
