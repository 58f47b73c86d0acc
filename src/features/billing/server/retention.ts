import "server-only";
import type { Ctx } from "@/server/context";
import { readPlanState } from "./subscriptions";

const dayMs = 86_400_000;

/**
 * How long the account's plan keeps what it makes: an asset made now is kept until now + the
 * current plan's retentionDays (one query). Fixed at creation: a later upgrade does not extend what
 * already exists. The sweep that deletes expired assets lives with the assets.
 */
export async function readRetentionDeadline({ ctx, input }: { ctx: Ctx; input: { accountId: string } }): Promise<Date> {
  const { plan } = await readPlanState({ ctx, input });
  return new Date(ctx.services.clock.now().getTime() + plan.limits.retentionDays * dayMs);
}
