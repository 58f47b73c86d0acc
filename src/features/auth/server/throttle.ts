import "server-only";
import { AppError } from "@/server/errors";
import type { RateLimiter } from "@/server/rate-limit";

type Limit = { max: number; windowSeconds: number };
type Rule = { perEmail: Limit[]; perAddress: Limit[] };

const HOUR = 60 * 60;

/**
 * Limits for the auth endpoints that guess or spam: per email (so one account cannot be brute-
 * forced from many addresses) and per client address (so one client cannot guess across many
 * emails, or farm starter credits with fresh sign-ups). Counted per attempt, whether or not the
 * email exists, so the answer never tells which emails are registered.
 */
const rules: Record<string, Rule> = {
  "/api/auth/sign-in/email": {
    perEmail: [{ max: 10, windowSeconds: 15 * 60 }],
    perAddress: [{ max: 50, windowSeconds: 15 * 60 }],
  },
  "/api/auth/sign-up/email": {
    perEmail: [{ max: 5, windowSeconds: HOUR }],
    // An office or a university shares one address: 20 an hour, but no more than 50 a day.
    perAddress: [
      { max: 20, windowSeconds: HOUR },
      { max: 50, windowSeconds: 24 * HOUR },
    ],
  },
  "/api/auth/request-password-reset": {
    perEmail: [{ max: 3, windowSeconds: HOUR }],
    perAddress: [{ max: 20, windowSeconds: HOUR }],
  },
  "/api/auth/send-verification-email": {
    perEmail: [{ max: 3, windowSeconds: HOUR }],
    perAddress: [{ max: 20, windowSeconds: HOUR }],
  },
};

export function isThrottledAuthPath(pathname: string): boolean {
  return pathname in rules;
}

export async function throttleAuthAttempt(
  limiter: RateLimiter,
  input: { pathname: string; email: string | undefined; address: string | undefined },
): Promise<void> {
  const rule = rules[input.pathname];
  if (!rule) return;
  const checks: [string, Limit][] = [];
  const email = input.email?.trim().toLowerCase();
  if (email)
    for (const limit of rule.perEmail) checks.push([`${input.pathname}:email:${email}:${limit.windowSeconds}`, limit]);
  if (input.address) {
    for (const limit of rule.perAddress)
      checks.push([`${input.pathname}:ip:${input.address}:${limit.windowSeconds}`, limit]);
  }
  for (const [key, limit] of checks) {
    const result = await limiter.hit(key, limit.max, limit.windowSeconds);
    if (!result.allowed) {
      throw new AppError("rate_limited", {
        params: { retryAfter: result.retryAfterSeconds },
        retryAfterSeconds: result.retryAfterSeconds,
      });
    }
  }
}
