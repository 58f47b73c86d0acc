import "server-only";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../errors";
import type { Env } from "../env";
import type { ApiEnv } from "./types";

/** JSON and form bodies: generous for any of our requests (a job's inputs are ids and a prompt). */
export const DEFAULT_BODY_LIMIT = 256 * 1024;
/** Stripe's event objects stay far below this; the signature check needs the whole raw body. */
export const STRIPE_WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** Multipart overhead on top of UPLOAD_MAX_BYTES. */
const MULTIPART_OVERHEAD = 64 * 1024;

type BodyRule = {
  maxBytes: number;
  /**
   * The route reads its body as a stream and counts it itself (uploads go to a temporary file):
   * only a declared Content-Length is checked here, nothing is buffered.
   */
  streamed?: boolean;
};

/** The body limit of one request, from its method and path: one table for every route. */
export function bodyRuleFor(env: Pick<Env, "UPLOAD_MAX_BYTES">, method: string, path: string): BodyRule {
  if (method === "POST" && path === "/api/v1/assets")
    return { maxBytes: env.UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD, streamed: true };
  if (path === "/api/webhooks/stripe") return { maxBytes: STRIPE_WEBHOOK_BODY_LIMIT };
  return { maxBytes: DEFAULT_BODY_LIMIT };
}

/**
 * Every request body is bounded before anything buffers it: a declared Content-Length over the
 * limit is refused at once, a chunked body is counted while it streams and cut at the limit
 * (hono/body-limit). What the client still sends after the 413 is discarded for a moment and then
 * the connection is cut (node-server.ts), so the rest of the body is never read into memory.
 */
export function limitRequestBodies(env: Pick<Env, "UPLOAD_MAX_BYTES">): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const rule = bodyRuleFor(env, c.req.method, c.req.path);
    const refuse = () => refuseTooLarge(c, rule.maxBytes);
    if (rule.streamed) {
      const declared = Number(c.req.header("content-length") ?? 0);
      if (declared > rule.maxBytes) refuse();
      return next();
    }
    return bodyLimit({ maxSize: rule.maxBytes, onError: refuse })(c, next);
  };
}

function refuseTooLarge(_c: Context, maxBytes: number): never {
  throw new AppError("body_too_large", { params: { maxKilobytes: Math.floor(maxBytes / 1024) } });
}
