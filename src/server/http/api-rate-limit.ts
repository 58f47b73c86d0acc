import "server-only";
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors";
import type { RateLimiter } from "../rate-limit";
import { clientAddress } from "./client-address";
import type { ApiEnv } from "./types";

export type ApiRateLimit = { perMinute: number; trustProxy: boolean };

/**
 * Per-account request limit on /api/v1 (per address for requests without a session), shared by
 * every web process through the runtime's limiter. Each answer says where the caller stands in
 * the RateLimit-* headers (IETF draft); over the limit it is 429 with Retry-After.
 */
export function limitApiRequests(limiter: RateLimiter, options: ApiRateLimit): MiddlewareHandler<ApiEnv> {
  const windowSeconds = 60;
  return async (c, next) => {
    const ctx = c.get("ctx");
    const who = ctx ? `account:${ctx.accountId}` : `ip:${clientAddress(c, options.trustProxy) ?? "unknown"}`;
    const result = await limiter.hit(`api:${who}`, options.perMinute, windowSeconds);
    c.header("RateLimit-Limit", String(options.perMinute));
    c.header("RateLimit-Remaining", String(Math.max(0, options.perMinute - result.count)));
    c.header("RateLimit-Reset", String(result.retryAfterSeconds));
    c.header("RateLimit-Policy", `${options.perMinute};w=${windowSeconds}`);
    if (!result.allowed) {
      throw new AppError("rate_limited", {
        params: { retryAfter: result.retryAfterSeconds },
        retryAfterSeconds: result.retryAfterSeconds,
      });
    }
    await next();
  };
}
