import { Hono, type Context } from "hono";
import { resolveSessionCtx } from "@/features/auth/server/resolve-actor";
import type { Ctx } from "@/server/context";
import { AppError, isAppError, notFound } from "@/server/errors";
import type { ApiEnv } from "@/server/http/types";
import type { Core } from "@/features/core";
import { authorizeImage, isAssetId, type ImageAccess } from "./server/authorize-image";
import { derivedKey } from "./server/derived-key";
import { createFaceLocator } from "./server/face-locator";
import type { FaceLocator } from "./server/image-focus";
import { mimeOfFormat } from "./server/encode-output";
import { chooseFormat } from "./server/negotiate-format";
import { invalidParam } from "./server/parse-values";
import { parseTransformation } from "./server/parse-transformation";
import { renderTransformation } from "./server/render-transformation";

const oneYear = 31_536_000;
/** How long a client should wait before asking again for an image whose AI step is still running. */
const pendingRetrySeconds = 2;

/**
 * `GET /i/<asset>`, `/i/<asset>/tr:<steps>` and `/i/<asset>?tr=<steps>`: the original or a derived
 * image, ImageKit-style. Mounted at /i by the HTTP app; errors are the app's JSON errors.
 */
export function createImageRoutes(rt: Core): Hono<ApiEnv> {
  // The face model loads on first use and stays for the process.
  const locateFaces = createFaceLocator((error) =>
    rt.logger.warn({ err: error }, "face detection unavailable; fo-face uses attention"),
  );
  const images = new Hono<ApiEnv>();

  images.get("/:id", (c) => serveImage(c, rt, locateFaces, c.req.param("id"), undefined));
  images.get("/:id/:rest{.+}", (c) => {
    // The raw path keeps prompts' escapes; Hono has already decoded the parameter.
    const rest = new URL(c.req.url).pathname.split("/").slice(3).join("/");
    const segment = decodeSegment(rest);
    if (!segment.startsWith("tr:") || segment.includes("/")) throw notFound();
    return serveImage(c, rt, locateFaces, c.req.param("id"), segment);
  });
  // Anything else under /i (e.g. /i/ alone): a translated 404 like every other error.
  images.all("*", () => {
    throw notFound();
  });
  return images;
}

async function serveImage(
  c: Context<ApiEnv>,
  rt: Core,
  locateFaces: FaceLocator,
  assetId: string,
  pathTr: string | undefined,
) {
  if (!isAssetId(assetId)) throw notFound();
  const queryTr = c.req.query("tr");
  if (pathTr !== undefined && queryTr !== undefined) throw invalidParam("tr");
  const transformation = parseTransformation(pathTr ?? queryTr ?? "");
  const access = await authorizeImage({
    ctx: { db: rt.db, locale: c.get("locale"), requestId: c.get("requestId"), services: rt.services },
    input: {
      assetId,
      canonical: transformation.canonical,
      query: { expires: c.req.query("expires"), signature: c.req.query("signature") },
      resolveSession: () => resolveSession(c, rt),
    },
  });
  const { asset } = access;

  if (transformation.steps.length === 0) {
    const headers = imageHeaders(access, `"${asset.sha256}"`, asset.mime, false);
    if (matchesEtag(c.req.header("if-none-match"), `"${asset.sha256}"`))
      return new Response(null, { status: 304, headers });
    return streamStored(rt, asset.storageKey, headers);
  }

  // Videos (ad-video outputs) are served as they are; there is nothing to transform in them here.
  if (!asset.mime.startsWith("image/")) throw new AppError("unsupported_file_type");

  const { format, negotiated } = chooseFormat({
    transformation,
    assetMime: asset.mime,
    accept: c.req.header("accept"),
  });
  const { key, hash } = derivedKey({ assetId, canonical: transformation.canonical, format, purpose: "final" });
  const etag = `"${hash}"`;
  const headers = imageHeaders(access, etag, mimeOfFormat[format], negotiated);
  // The ETag names immutable bytes: a client that holds it already has the image.
  if (matchesEtag(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });

  const cached = await streamStored(rt, key, headers).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") return undefined;
    throw error;
  });
  if (cached) return cached;

  const result = await renderTransformation({ ctx: access.ctx, input: { asset, transformation, format, locateFaces } });
  if (result.kind === "pending") {
    const { job } = result;
    return c.json(
      {
        status: "processing",
        step: result.step,
        job: { id: job.id, status: job.status, progress: job.progress },
        retryAfter: pendingRetrySeconds,
      },
      202,
      { "Retry-After": String(pendingRetrySeconds), "Cache-Control": "no-store" },
    );
  }
  headers.set("Content-Length", String(result.data.length));
  return new Response(new Uint8Array(result.data), { status: 200, headers });
}

async function streamStored(rt: Core, key: string, headers: Headers): Promise<Response> {
  const file = await rt.storage.stream(key);
  headers.set("Content-Length", String(file.size));
  return new Response(file.body, { status: 200, headers });
}

/**
 * Signed URLs may sit in shared caches, but not past their expiry (a year at most); session
 * answers are for the owner's browser only.
 */
function imageHeaders(access: ImageAccess, etag: string, mime: string, negotiated: boolean): Headers {
  const remaining = Math.max(0, (access.expiresAt ?? 0) - Math.floor(Date.now() / 1000));
  const headers = new Headers({
    "Content-Type": mime,
    ETag: etag,
    "Cache-Control":
      access.mode === "signed"
        ? `public, max-age=${Math.min(oneYear, remaining)}, immutable`
        : "private, max-age=86400",
    "X-Content-Type-Options": "nosniff",
  });
  if (negotiated) headers.set("Vary", "Accept");
  return headers;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const value = tag.trim();
    return value === "*" || value === etag || value === `W/${etag}`;
  });
}

/** A broken %-escape (`tr:w-%ZZ`) is a bad parameter: 400 naming the token, like any other. */
function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    const token = value.split(/[:,]/).find((part) => !canDecode(part)) ?? value;
    throw invalidParam(token);
  }
}

function canDecode(value: string): boolean {
  try {
    decodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

/** The signed-in user, resolved only when no signature decides (signed requests skip the lookup). */
function resolveSession(c: Context<ApiEnv>, rt: Core): Promise<Ctx | undefined> {
  const input = { headers: c.req.raw.headers, locale: c.get("locale"), requestId: c.get("requestId") };
  return resolveSessionCtx({ auth: rt.auth, services: rt.services, input });
}
