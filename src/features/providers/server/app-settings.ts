import "server-only";
import type { Ctx } from "@/server/context";
import { appSettings } from "@/server/db/schema";

/** Saves one operator setting (provider order, prompt blocklist), replacing the previous value. */
export async function writeAppSetting({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { key: string; value: unknown };
}): Promise<void> {
  const { key, value } = input;
  await ctx.db
    .insert(appSettings)
    .values({ key, value, updatedAt: new Date() })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: new Date() } });
}
