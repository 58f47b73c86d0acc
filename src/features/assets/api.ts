import { createRoute, z } from "@hono/zod-openapi";
import path from "node:path";
import type { ApiApp } from "@/server/http/api-v1";
import { requireCtx } from "@/server/http/require-ctx";
import { AssetSchema, errorResponses, IdParam, PageQuery } from "@/server/http/schemas";
import { AppError } from "@/server/errors";
import type { Core } from "@/features/core";
import { requireAccountId, systemCtx } from "@/server/context";
import { assetKinds } from "@/server/db/schema";
import { getAsset, getAssetForSignedLink, listAssets, uploadAsset } from "./server/assets";
import { receiveUpload, sweepStaleUploads, type ReceivedUpload } from "./server/receive-upload";
import { createUploadSlots } from "./server/upload-slots";
import { toAssetView } from "./server/asset-view";
import { assetFilePath, verifySignedPath } from "./server/signed-url";
import { registerImageSignRoute } from "@/features/transforms/sign-api";

const json = (schema: z.ZodType) => ({ "application/json": { schema } });

export function registerAssetRoutes(api: ApiApp, rt: Core) {
  const maxMegabytes = Math.round(rt.env.UPLOAD_MAX_BYTES / 1024 / 1024);
  const view = (row: Parameters<typeof toAssetView>[0]) => toAssetView(row, rt.env);
  const uploadSlots = createUploadSlots({
    perAccount: rt.env.UPLOAD_CONCURRENCY_PER_ACCOUNT,
    total: rt.env.UPLOAD_CONCURRENCY_TOTAL,
  });
  // On disk under the data folder, not os.tmpdir(), which is often a RAM-backed tmpfs.
  const uploadDir = path.join(rt.env.dataDir, "tmp", "uploads");
  void sweepStaleUploads(uploadDir);

  api.openapi(
    createRoute({
      method: "post",
      path: "/assets",
      summary: "Upload an image (JPEG, PNG, WebP, AVIF, GIF). Metadata is stripped, EXIF orientation applied.",
      description:
        `multipart/form-data with the image in a part named \`file\` (at most ${maxMegabytes} MB). An account may send ` +
        `${rt.env.UPLOAD_CONCURRENCY_PER_ACCOUNT} uploads at once (more: 429 with Retry-After); when the server is busy, 503 with Retry-After.`,
      request: {
        body: {
          required: true,
          content: {
            // A plain schema, not Zod: the route streams the body itself instead of letting a
            // validator parse (and buffer) the whole form.
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: { file: { type: "string", format: "binary" } },
                required: ["file"],
              },
            },
          },
        },
      },
      responses: { 201: { description: "Stored", content: json(z.object({ asset: AssetSchema })) }, ...errorResponses },
    }),
    async (c) => {
      // Sign-in and a free slot first: a refused client must not make the server read 25 MB.
      const ctx = requireCtx(c);
      let received: ReceivedUpload | undefined;
      let release: (() => void) | undefined;
      try {
        release = uploadSlots.acquire(requireAccountId(ctx));
        received = await receiveUpload({
          headers: c.req.raw.headers,
          body: c.req.raw.body,
          dir: uploadDir,
          maxBytes: rt.env.UPLOAD_MAX_BYTES,
        });
        const asset = await uploadAsset({
          ctx,
          input: {
            source: { path: received.path },
            name: received.name,
            limits: { maxBytes: rt.env.UPLOAD_MAX_BYTES, maxPixels: rt.env.UPLOAD_MAX_PIXELS },
          },
        });
        return c.json({ asset: view(asset) }, 201);
      } catch (error) {
        // Refused before the whole body was read: the rest is dropped, so the connection cannot
        // carry another request.
        if (!received) c.header("Connection", "close");
        throw error;
      } finally {
        await received?.discard();
        release?.();
      }
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/limits",
      summary: "Upload limits of this server, so clients can check before sending",
      security: [],
      responses: {
        200: {
          description: "Limits",
          content: json(z.object({ upload: z.object({ maxBytes: z.number().int(), maxPixels: z.number().int() }) })),
        },
      },
    }),
    (c) => c.json({ upload: { maxBytes: rt.env.UPLOAD_MAX_BYTES, maxPixels: rt.env.UPLOAD_MAX_PIXELS } }, 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/assets",
      summary: "List the account's assets, newest first",
      request: { query: PageQuery.extend({ kind: z.enum(assetKinds).optional() }) },
      responses: {
        200: {
          description: "A page",
          content: json(z.object({ assets: z.array(AssetSchema), nextCursor: z.string().nullable() })),
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const page = await listAssets({ ctx: requireCtx(c), input: c.req.valid("query") });
      return c.json({ assets: page.assets.map(view), nextCursor: page.nextCursor }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/assets/{id}",
      summary: "One asset",
      request: { params: IdParam },
      responses: {
        200: { description: "The asset", content: json(z.object({ asset: AssetSchema })) },
        ...errorResponses,
      },
    }),
    async (c) => {
      const asset = await getAsset({ ctx: requireCtx(c), input: c.req.valid("param") });
      return c.json({ asset: view(asset) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/assets/{id}/file",
      summary: "The bytes, through a signed URL (no session needed)",
      security: [],
      request: {
        params: IdParam,
        query: z.object({ expires: z.string(), signature: z.string(), download: z.enum(["0", "1"]).optional() }),
      },
      responses: {
        200: { description: "The file" },
        403: { description: "Bad or expired signature" },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const query = c.req.valid("query");
      if (!verifySignedPath(rt.env.APP_SECRET, assetFilePath(id), query)) throw new AppError("forbidden");
      const asset = await getAssetForSignedLink({ ctx: systemCtx(rt.services, "signed-link"), input: { id } });
      const file = await rt.storage.stream(asset.storageKey);
      const headers = new Headers({
        "Content-Type": asset.mime,
        "Content-Length": String(file.size),
        "Cache-Control": "private, max-age=600",
        "X-Content-Type-Options": "nosniff",
        ETag: `"${asset.sha256}"`,
      });
      if (query.download === "1") headers.set("Content-Disposition", contentDisposition(downloadName(asset)));
      return new Response(file.body, { status: 200, headers });
    },
  );

  registerImageSignRoute(api);
}

function downloadName(asset: { id: string; name: string | null; mime: string }): string {
  const ext = asset.mime.split("/")[1]?.replace("jpeg", "jpg") ?? "bin";
  const base = (asset.name ?? `pixelwerk-${asset.id.slice(0, 8)}`).replace(/\.[^.]+$/, "").replace(/["\\]/g, "");
  return `${base}.${ext}`;
}

/**
 * Header values must be Latin-1, and names are Unicode ("画像.png" made the download a 500): an
 * ASCII fallback for old clients plus the exact name as RFC 5987 `filename*`, which browsers prefer.
 */
function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
