import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "@/server/http/api-v1";
import type { Runtime } from "@/server/runtime";
import { listGenerators } from "./server/registry";

const GeneratorSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.string(),
    price: z.number().int().openapi({ description: "Credits per run" }),
    mode: z.enum(["sync", "async"]),
    inputSchema: z.record(z.string(), z.unknown()).openapi({
      description:
        "JSON Schema of `inputs`. Each property has a `title` in the request's language (and a `description` " +
        "when there is a hint); enum values' labels are in `x-enum-labels`: { value: label }.",
    }),
  })
  .openapi("Generator");

export function registerGeneratorRoutes(api: ApiApp, _rt: Runtime) {
  api.openapi(
    createRoute({
      method: "get",
      path: "/generators",
      summary: "Every generator with its price and the JSON Schema of its inputs",
      security: [],
      responses: { 200: { description: "Generators", content: { "application/json": { schema: z.object({ generators: z.array(GeneratorSchema) }) } } } },
    }),
    (c) => c.json({ generators: listGenerators({ ctx: { locale: c.get("locale") } }) }, 200),
  );
}
