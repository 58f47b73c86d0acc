import "server-only";
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors";
import type { ApiEnv } from "./types";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery guard for requests that carry the session cookie: a state-changing
 * request must come from one of the server's own origins. Browsers always send Origin (and
 * Sec-Fetch-Site) on such requests; a program with a cookie jar and neither header is no browser,
 * so nobody can make it send the request on a user's behalf.
 */
export function checkRequestOrigin(publicOrigins: readonly string[], appUrl: string): MiddlewareHandler<ApiEnv> {
  const allowed = new Set(publicOrigins);
  return async (c, next) => {
    if (
      !SAFE_METHODS.has(c.req.method) &&
      c.req.header("cookie") &&
      !isSameSite(c.req.header("origin"), c.req.header("sec-fetch-site"), allowed)
    ) {
      throw new AppError("origin_not_allowed", { params: { appUrl } });
    }
    await next();
  };
}

export function isSameSite(
  origin: string | undefined,
  fetchSite: string | undefined,
  allowed: ReadonlySet<string>,
): boolean {
  if (origin) return allowed.has(origin);
  // No Origin: only a user typing into the address bar ("none") or our own page may have sent it.
  return fetchSite === undefined || fetchSite === "same-origin" || fetchSite === "none";
}
