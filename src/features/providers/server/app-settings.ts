import "server-only";
import { appSettings } from "@/server/db/schema";
import type { DbOrTx } from "@/server/db/types";

/** Saves one operator setting (provider order, prompt blocklist), replacing the previous value. */
export async function writeAppSetting(db: DbOrTx, key: string, value: unknown): Promise<void> {
  await db
    .insert(appSettings)
    .values({ key, value, updatedAt: new Date() })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: new Date() } });
}
