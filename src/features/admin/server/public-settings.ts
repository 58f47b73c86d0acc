import "server-only";
import { paymentsEnabled } from "@/features/billing/server/stripe-client";
import { getEnv } from "@/server/env";

/** The settings server-rendered pages show to everyone: facts, never secrets or configuration detail. */
export function readPublicSettings(): { sourceUrl: string | null; paymentsEnabled: boolean } {
  const env = getEnv();
  return { sourceUrl: env.SOURCE_URL ?? null, paymentsEnabled: paymentsEnabled(env) };
}
