import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "@/server/http/api-v1";
import type { Core } from "@/features/core";
import { loadProviderDirectory } from "@/features/providers/server/load-directory";
import { systemCtx } from "@/server/context";
import { listGenerators } from "./server/registry";

const GeneratorSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.string(),
    price: z.number().int().openapi({ description: "Credits per run" }),
    pricing: z
      .object({
        base: z.number().int(),
        byInput: z.object({ field: z.string(), prices: z.record(z.string(), z.number().int()) }).optional(),
        whenSet: z.object({ field: z.string(), price: z.number().int() }).optional(),
        timesInput: z.string().optional(),
      })
      .openapi({
        description:
          "How inputs change the price: `byInput` prices per value of one input (a model), `whenSet` applies when an " +
          "input is given, `timesInput` multiplies by a count input. Otherwise `base`.",
      }),
    mode: z
      .enum(["sync", "async"])
      .openapi({ description: "`sync`: quick enough to wait for with `POST /jobs?wait=N`" }),
    available: z.boolean().openapi({ description: "False when no AI provider for it is configured on this server" }),
    requires: z
      .array(z.string())
      .openapi({ description: "Environment variables of which any one would make it available" }),
    models: z
      .record(z.string(), z.boolean())
      .optional()
      .openapi({ description: "For a model choice: which models can run here" }),
    inputSchema: z.record(z.string(), z.unknown()).openapi({
      description:
        "JSON Schema of `inputs`. Each property has a `title` in the request's language (and a `description` " +
        "when there is a hint); enum values' labels are in `x-enum-labels`: { value: label }.",
    }),
  })
  .openapi("Generator");

export function registerGeneratorRoutes(api: ApiApp, rt: Core) {
  api.openapi(
    createRoute({
      method: "get",
      path: "/generators",
      summary: "Every generator with its price and the JSON Schema of its inputs",
      security: [],
      responses: {
        200: {
          description: "Generators",
          content: { "application/json": { schema: z.object({ generators: z.array(GeneratorSchema) }) } },
        },
      },
    }),
    async (c) => {
      const directory = await loadProviderDirectory({ ctx: systemCtx(rt.services, "list-generators") });
      return c.json({ generators: listGenerators({ ctx: { locale: c.get("locale") }, input: { directory } }) }, 200);
    },
  );
}
