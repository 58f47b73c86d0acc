import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "@/server/http/api-v1";
import { requireCtx } from "@/server/http/require-ctx";
import { errorResponses, ErrorSchema } from "@/server/http/schemas";
import type { Core } from "@/features/core";
import { getPromptBlocklist, setPromptBlocklist } from "./server/blocklist-settings";
import { getProviderOrder, setProviderOrder } from "./server/provider-order";
import { listProviderSettings, testProviderConnection, updateProviderSettings } from "./server/provider-settings";

const forbidden = {
  403: { description: "forbidden: not an admin", content: { "application/json": { schema: ErrorSchema } } },
};

const ProviderSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    configured: z.boolean().openapi({ description: "Every required setting has a value (environment or admin)" }),
    configuredBy: z.enum(["builtin", "env", "admin"]).nullable(),
    settings: z.array(
      z.object({
        name: z.string(),
        env: z.string().openapi({ description: "The environment variable that sets it, e.g. OPENAI_API_KEY" }),
        secret: z.boolean(),
        required: z.boolean(),
        url: z.boolean().openapi({ description: "Must be an http(s) URL" }),
        source: z
          .enum(["env", "admin", "unset"])
          .openapi({ description: "An admin's value wins over the environment's" }),
        value: z
          .string()
          .nullable()
          .openapi({ description: "Secrets only as a hint of their last 4 characters, e.g. ••••abcd" }),
      }),
    ),
    capabilities: z.array(z.string()),
    models: z.array(
      z.object({
        id: z.string(),
        family: z.string().nullable(),
        capabilities: z.array(z.string()),
        costMicros: z.number().int().openapi({ description: "Provider cost per unit in millionths of a US dollar" }),
        unit: z.string(),
      }),
    ),
    envVars: z.array(z.string()),
  })
  .openapi("AdminProvider");

const ProviderIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

const UpdateProviderBody = z.object({
  enabled: z.boolean().optional(),
  settings: z
    .record(z.string().max(100), z.string().max(4000).nullable())
    .optional()
    .openapi({ description: "Setting name → value; null clears the admin's value so the environment applies again" }),
});

const ConnectionSchema = z
  .union([
    z.object({ ok: z.literal(true), latencyMs: z.number().int() }),
    z.object({
      ok: z.literal(false),
      failure: z.string().openapi({ description: "retriable | misconfigured | malformed | blocked | rejected" }),
      message: z.string().openapi({ description: "The vendor's answer, with the configured secrets cut out" }),
    }),
  ])
  .openapi("ProviderConnection");

const OrderSchema = z
  .record(z.string().max(100), z.array(z.string().max(100)).max(50))
  .openapi({ description: "Capability → provider ids, tried in this order" });

const OrderAnswer = z.object({
  order: OrderSchema,
  capabilities: z
    .array(z.object({ capability: z.string(), providers: z.array(z.object({ id: z.string(), name: z.string() })) }))
    .openapi({ description: "Each orderable capability with every provider serving it, in the order jobs try them" }),
});

const BlocklistAnswer = z.object({
  terms: z.array(z.string()).openapi({ description: "The list kept on the admin page" }),
  envTerms: z.array(z.string()).openapi({ description: "PROMPT_BLOCKLIST's terms (read-only)" }),
});

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/** Admins: provider keys and switches, fallback order, prompt blocklist. Everyone else gets 403. */
export function registerProviderRoutes(api: ApiApp, _core: Core) {
  api.openapi(
    createRoute({
      method: "get",
      path: "/admin/providers",
      summary: "Admins: every AI provider with its settings (secrets as hints), models and costs",
      responses: {
        200: { description: "Providers", content: json(z.object({ providers: z.array(ProviderSchema) })) },
        ...forbidden,
        ...errorResponses,
      },
    }),
    async (c) => c.json({ providers: await listProviderSettings({ ctx: requireCtx(c) }) }, 200),
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/admin/providers/{id}",
      summary: "Admins: switch a provider on or off, set or clear its settings (sealed with the app secret)",
      request: { params: ProviderIdParam, body: { required: true, content: json(UpdateProviderBody) } },
      responses: {
        200: { description: "The provider now", content: json(z.object({ provider: ProviderSchema })) },
        ...forbidden,
        ...errorResponses,
      },
    }),
    async (c) => {
      const provider = await updateProviderSettings({
        ctx: requireCtx(c),
        input: { id: c.req.valid("param").id, ...c.req.valid("json") },
      });
      return c.json({ provider }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/admin/providers/{id}/test",
      summary: "Admins: make a cheap authenticated call to the provider with its current settings (15 s limit)",
      request: { params: ProviderIdParam },
      responses: {
        200: { description: "How the call went", content: json(ConnectionSchema) },
        ...forbidden,
        ...errorResponses,
      },
    }),
    async (c) => c.json(await testProviderConnection({ ctx: requireCtx(c), input: c.req.valid("param") }), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/admin/provider-order",
      summary: "Admins: the fallback order of providers per capability",
      responses: { 200: { description: "Order", content: json(OrderAnswer) }, ...forbidden, ...errorResponses },
    }),
    async (c) => c.json(await getProviderOrder({ ctx: requireCtx(c) }), 200),
  );

  api.openapi(
    createRoute({
      method: "put",
      path: "/admin/provider-order",
      summary: "Admins: replace the fallback order (each id must serve its capability, once)",
      request: { body: { required: true, content: json(z.object({ order: OrderSchema })) } },
      responses: { 200: { description: "Order", content: json(OrderAnswer) }, ...forbidden, ...errorResponses },
    }),
    async (c) => c.json(await setProviderOrder({ ctx: requireCtx(c), input: c.req.valid("json") }), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/admin/prompt-blocklist",
      summary: "Admins: terms that refuse a prompt before anything is charged or sent to a provider",
      responses: { 200: { description: "Blocklist", content: json(BlocklistAnswer) }, ...forbidden, ...errorResponses },
    }),
    async (c) => c.json(await getPromptBlocklist({ ctx: requireCtx(c) }), 200),
  );

  api.openapi(
    createRoute({
      method: "put",
      path: "/admin/prompt-blocklist",
      summary: "Admins: replace the blocklist kept here (PROMPT_BLOCKLIST's terms always apply too)",
      request: {
        body: { required: true, content: json(z.object({ terms: z.array(z.string().max(100)).max(1000) })) },
      },
      responses: { 200: { description: "Blocklist", content: json(BlocklistAnswer) }, ...forbidden, ...errorResponses },
    }),
    async (c) => c.json(await setPromptBlocklist({ ctx: requireCtx(c), input: c.req.valid("json") }), 200),
  );
}
