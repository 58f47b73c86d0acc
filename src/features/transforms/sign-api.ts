import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "@/server/http/api-v1";
import { requireCtx } from "@/server/http/require-ctx";
import { errorResponses, ErrorSchema, IdParam } from "@/server/http/schemas";
import { createSignedImageUrl, defaultSignedImageTtl } from "./server/create-signed-image-url";

const SignBody = z.object({
  tr: z.string().max(2000).optional().openapi({
    description: "ImageKit-style steps, e.g. `w-400,h-300,fo-auto:f-auto` (with or without `tr:`)",
    example: "w-400,h-300:f-auto",
  }),
  expiresIn: z
    .number()
    .int()
    .min(60)
    .max(31_536_000)
    .default(defaultSignedImageTtl)
    .openapi({ description: "Seconds until the URL stops working (default a week, at most a year)" }),
});

const SignedUrl = z
  .object({
    url: z
      .string()
      .openapi({ description: "Absolute /i/ URL with `expires` and `signature`; works without a session" }),
    expiresAt: z.string(),
  })
  .openapi("SignedImageUrl");

/** `POST /assets/{id}/sign`: registered by the asset routes. */
export function registerImageSignRoute(api: ApiApp) {
  api.openapi(
    createRoute({
      method: "post",
      path: "/assets/{id}/sign",
      summary: "A signed /i/ URL of the asset, optionally transformed, usable without a session",
      description:
        "The signature (HMAC-SHA256 with the server secret) covers the asset, the canonical transformation and the expiry. " +
        "AI steps in `tr` (e-bgremove, e-dropshadow, e-upscale, e-retouch, …) are charged to the owner once per distinct image when the URL is first loaded.",
      request: { params: IdParam, body: { required: true, content: { "application/json": { schema: SignBody } } } },
      responses: {
        200: { description: "The URL", content: { "application/json": { schema: SignedUrl } } },
        ...errorResponses,
        400: {
          description: "invalid_transformation (names the parameter) or invalid input",
          content: { "application/json": { schema: ErrorSchema } },
        },
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const signed = await createSignedImageUrl({
        ctx: requireCtx(c),
        input: { id: c.req.valid("param").id, tr: body.tr, expiresIn: body.expiresIn },
      });
      return c.json(signed, 200);
    },
  );
}
