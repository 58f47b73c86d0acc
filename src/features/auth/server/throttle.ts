import { AppError } from "@/server/errors";
import type { RateLimiter } from "@/server/rate-limit";

/**
 * Limits for the auth endpoints that guess or spam: per email (so one account cannot be brute-
 * forced from many addresses) and per client address. Counted per attempt, whether or not the
 * email exists, so the answer never tells which emails are registered.
 */
const rules: Record<string, { perEmail: number; perIp: number; windowSeconds: number }> = {
  "/api/auth/sign-in/email": { perEmail: 10, perIp: 50, windowSeconds: 15 * 60 },
  "/api/auth/sign-up/email": { perEmail: 5, perIp: 20, windowSeconds: 60 * 60 },
  "/api/auth/request-password-reset": { perEmail: 3, perIp: 20, windowSeconds: 60 * 60 },
  "/api/auth/send-verification-email": { perEmail: 3, perIp: 20, windowSeconds: 60 * 60 },
};

export function isThrottledAuthPath(pathname: string): boolean {
  return pathname in rules;
}

export async function throttleAuthAttempt(
  limiter: RateLimiter,
  input: { pathname: string; email: string | undefined; ip: string | undefined },
): Promise<void> {
  const rule = rules[input.pathname];
  if (!rule) return;
  const checks: [string, number][] = [];
  if (input.email) checks.push([`${input.pathname}:email:${input.email.trim().toLowerCase()}`, rule.perEmail]);
  if (input.ip) checks.push([`${input.pathname}:ip:${input.ip}`, rule.perIp]);
  for (const [key, limit] of checks) {
    const result = await limiter.hit(key, limit, rule.windowSeconds);
    if (!result.allowed) {
      throw new AppError("rate_limited", {
        params: { retryAfter: result.retryAfterSeconds },
        retryAfterSeconds: result.retryAfterSeconds,
      });
    }
  }
}
