import "server-only";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Makes every sign-up answer take as long as creating an account does, so the time cannot tell
 * whether an email is registered (both paths already hash the password; creating the user, its
 * identity and its credit account is the extra work). Each answer waits until the 90th percentile
 * of the recent sign-ups that did create an account: only those feed the floor, so a flood of
 * known emails cannot lower it, and it follows the machine's load instead of a fixed guess.
 */
export function createSignUpTiming(options: { samples?: number; initialMs?: number; maxMs?: number } = {}) {
  const samples = options.samples ?? 20;
  const maxMs = options.maxMs ?? 2_000;
  const created = new WeakSet<Request>();
  const recent: number[] = [];
  let floorMs = options.initialMs ?? 150;

  return {
    /** Called from the user-creation hook of the request that created an account. */
    markCreated(request: Request | undefined) {
      if (request) created.add(request);
    },
    /** Awaited before a sign-up answer leaves: `elapsed` is the time the answer took so far. */
    async settle(request: Request, elapsedMs: number) {
      if (created.has(request)) {
        recent.push(elapsedMs);
        if (recent.length > samples) recent.shift();
        const sorted = [...recent].sort((a, b) => a - b);
        floorMs = Math.min(maxMs, sorted[Math.floor((sorted.length - 1) * 0.9)]!);
      }
      const wait = floorMs - elapsedMs;
      if (wait > 0) await sleep(wait);
    },
  };
}
