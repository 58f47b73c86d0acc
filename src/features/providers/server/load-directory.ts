import "server-only";
import { eq } from "drizzle-orm";
import { createDirectory, type DirectoryEntry, type ProviderDirectory } from "@/engine/providers/directory";
import { listAdapters } from "@/engine/providers/registry";
import type { ProviderAdapter, ProviderConfig } from "@/engine/providers/types";
import type { Ctx } from "@/server/context";
import { appSettings, providerSettings } from "@/server/db/schema";
import type { Env } from "@/server/env";
import { openJson } from "@/server/secret-box";

export const providerConfigPurpose = "provider-config";
export const providerOrderKey = "provider_order";

export type StoredSettings = { enabled: boolean; config: ProviderConfig };

/** The environment's value for each setting of an adapter (OPENAI_API_KEY, OPENAI_BASE_URL, ...). */
export function envConfigOf(env: Env, adapter: ProviderAdapter): ProviderConfig {
  return Object.fromEntries(adapter.settings.map((setting) => [setting.name, env.declared[setting.env]]));
}

/** The configuration a provider runs with: the environment, overridden by what an admin set. */
export function configOf(env: Env, adapter: ProviderAdapter, saved: StoredSettings | undefined): ProviderConfig {
  const config = { ...envConfigOf(env, adapter) };
  for (const [name, value] of Object.entries(saved?.config ?? {})) if (value) config[name] = value;
  return config;
}

/** The admin's stored settings per provider, opened with the app secret. */
export async function readStoredSettings({ ctx }: { ctx: Ctx }): Promise<Map<string, StoredSettings>> {
  const { env } = ctx.services;
  const rows = await ctx.db.select().from(providerSettings);
  return new Map(
    rows.map((row) => [
      row.providerId,
      {
        enabled: row.enabled,
        config: row.sealedConfig
          ? openJson<ProviderConfig>(env.APP_SECRET, providerConfigPurpose, row.sealedConfig)
          : {},
      },
    ]),
  );
}

export async function readProviderOrder({ ctx }: { ctx: Ctx }): Promise<Record<string, string[]>> {
  const [row] = await ctx.db.select().from(appSettings).where(eq(appSettings.key, providerOrderKey));
  return (row?.value as Record<string, string[]> | undefined) ?? {};
}

/**
 * The providers a job runs with, read fresh from the database each time: an admin's change applies
 * to the next job on every worker, with no restart or deploy.
 */
export async function loadProviderDirectory({ ctx }: { ctx: Ctx }): Promise<ProviderDirectory> {
  const { env } = ctx.services;
  const [stored, order] = await Promise.all([readStoredSettings({ ctx }), readProviderOrder({ ctx })]);
  const entries: DirectoryEntry[] = listAdapters().map((adapter) => {
    const saved = stored.get(adapter.id);
    return { adapter, config: configOf(env, adapter, saved), enabled: saved?.enabled ?? true };
  });
  return createDirectory(entries, order);
}
