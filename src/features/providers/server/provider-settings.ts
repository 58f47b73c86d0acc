import "server-only";
import { eq } from "drizzle-orm";
import { isConfigured } from "@/engine/providers/directory";
import { toProviderError } from "@/engine/providers/errors";
import { findAdapter, listAdapters } from "@/engine/providers/registry";
import type { ProviderAdapter, ProviderConfig, ProviderSetting } from "@/engine/providers/types";
import type { Ctx } from "@/server/context";
import { providerSettings } from "@/server/db/schema";
import type { Env } from "@/server/env";
import { AppError, notFound, type FieldErrors } from "@/server/errors";
import { translate } from "@/server/i18n";
import { openJson, sealJson } from "@/server/secret-box";
import type { ConnectionResult, ProviderSettingView, ProviderView, SettingSource } from "../views";
import { requireAdmin } from "@/features/auth/server/require-admin";
import {
  configOf,
  envConfigOf,
  providerConfigPurpose,
  readStoredSettings,
  type StoredSettings,
} from "./load-directory";

export type UpdateProviderInput = { id: string; enabled?: boolean; settings?: Record<string, string | null> };

const maxValueLength = 4000;
/** The admin page's "test connection" gives up after this long (the route's summary says 15 s). */
const connectionTimeoutMs = 15_000;

/** Settings holding an address (declared as urls; also by name: baseUrl, COMFYUI_URL): saved only as http(s) URLs. */
export function isUrlSetting(setting: ProviderSetting): boolean {
  return setting.kind === "url" || /url$/i.test(setting.name) || /_URL$/.test(setting.env);
}

/** Enough of a secret to recognise it, never enough to use it: the last 4 characters of a long one. */
export function secretHint(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : "••••";
}

export function settingView(
  setting: ProviderSetting,
  envValue: string | undefined,
  adminValue: string | undefined,
): ProviderSettingView {
  const source: SettingSource = adminValue ? "admin" : envValue ? "env" : "unset";
  const value = adminValue || envValue;
  return {
    name: setting.name,
    env: setting.env,
    secret: setting.kind === "secret",
    required: setting.required,
    url: isUrlSetting(setting),
    source,
    value: value
      ? setting.kind === "secret"
        ? secretHint(value)
        : isUrlSetting(setting)
          ? withoutPassword(value)
          : value
      : null,
  };
}

/** A URL may carry a password (https://user:pass@host): shown without it. */
function withoutPassword(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = "";
    return url.toString().replace(`//${url.username}@`, `//${url.username}:••••@`);
  } catch {
    return value;
  }
}

function providerView(env: Env, adapter: ProviderAdapter, saved: StoredSettings | undefined): ProviderView {
  const envConfig = envConfigOf(env, adapter);
  const settings = adapter.settings.map((s) => settingView(s, envConfig[s.name], saved?.config[s.name] ?? undefined));
  const configured = isConfigured({ adapter, config: configOf(env, adapter, saved) });
  const required = settings.filter((s) => s.required);
  const configuredBy =
    adapter.settings.length === 0
      ? "builtin"
      : !configured
        ? null
        : required.some((s) => s.source === "admin")
          ? "admin"
          : "env";
  const capabilities = new Set([...(adapter.capabilities ?? []), ...adapter.models.flatMap((m) => m.capabilities)]);
  return {
    id: adapter.id,
    name: adapter.name,
    enabled: saved?.enabled ?? true,
    configured,
    configuredBy,
    settings,
    capabilities: [...capabilities],
    models: adapter.models.map((m) => ({
      id: m.id,
      family: m.family ?? null,
      capabilities: [...m.capabilities],
      costMicros: m.costMicros,
      unit: m.unit,
    })),
    envVars: adapter.settings.map((s) => s.env),
  };
}

/** Every adapter with where its settings come from. Secrets leave the server only as hints. */
export async function listProviderSettings({ ctx }: { ctx: Ctx }): Promise<ProviderView[]> {
  requireAdmin(ctx);
  const { env } = ctx.services;
  const stored = await readStoredSettings({ ctx });
  return listAdapters().map((adapter) => providerView(env, adapter, stored.get(adapter.id)));
}

function validateSettings(
  ctx: Ctx,
  adapter: ProviderAdapter,
  settings: Record<string, string | null>,
): Record<string, string | null> {
  const fields: FieldErrors = {};
  const clean: Record<string, string | null> = {};
  const fail = (name: string, key: string, params: Record<string, string> = {}) =>
    (fields[`settings.${name}`] ??= []).push(translate(ctx.locale, `adminProviders.errors.${key}`, params));
  for (const [name, raw] of Object.entries(settings)) {
    const setting = adapter.settings.find((s) => s.name === name);
    if (!setting) {
      fail(name, "unknownSetting", { name });
      continue;
    }
    if (raw === null) {
      clean[name] = null;
      continue;
    }
    const value = raw.trim();
    if (!value) fail(name, "emptyValue");
    else if (value.length > maxValueLength) fail(name, "tooLong", { max: String(maxValueLength) });
    // A hint sent back (a URL whose password is shown as ••••) would overwrite the real value.
    else if (value.includes("••••")) fail(name, "hiddenPart");
    else if (isUrlSetting(setting) && !isHttpUrl(value)) fail(name, "invalidUrl");
    else clean[name] = value;
  }
  if (Object.keys(fields).length > 0) throw new AppError("validation_failed", { fields });
  return clean;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Switches a provider on or off and sets or clears its settings. Values are sealed with the app
 * secret before they reach the database; null clears a value so the environment applies again.
 * Jobs read the directory fresh, so the change applies to the next job without a restart.
 */
export async function updateProviderSettings({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: UpdateProviderInput;
}): Promise<ProviderView> {
  const userId = requireAdmin(ctx);
  const { env } = ctx.services;
  const adapter = findAdapter(input.id);
  if (!adapter) throw notFound();
  const changes = validateSettings(ctx, adapter, input.settings ?? {});
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(providerSettings)
      .where(eq(providerSettings.providerId, adapter.id))
      .for("update");
    const config: ProviderConfig = row?.sealedConfig
      ? openJson<ProviderConfig>(env.APP_SECRET, providerConfigPurpose, row.sealedConfig)
      : {};
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete config[name];
      else config[name] = value;
    }
    const values = {
      enabled: input.enabled ?? row?.enabled ?? true,
      sealedConfig: Object.keys(config).length > 0 ? sealJson(env.APP_SECRET, providerConfigPurpose, config) : null,
      updatedAt: new Date(),
      updatedBy: userId,
    };
    await tx
      .insert(providerSettings)
      .values({ providerId: adapter.id, ...values })
      .onConflictDoUpdate({ target: providerSettings.providerId, set: values });
  });
  const stored = await readStoredSettings({ ctx });
  return providerView(env, adapter, stored.get(adapter.id));
}

/** A vendor's error text may quote the key it was sent: every secret of the config is cut out. */
export function scrubSecrets(message: string, adapter: ProviderAdapter, config: ProviderConfig): string {
  let scrubbed = message;
  for (const setting of adapter.settings) {
    const value = config[setting.name];
    if (setting.kind === "secret" && value && value.length >= 4) scrubbed = scrubbed.split(value).join("••••");
  }
  return scrubbed.slice(0, 500);
}

/**
 * Calls the adapter's cheap authenticated request with the settings jobs would use (environment and
 * admin merged) and reports how it went, without throwing: the admin page shows the outcome.
 */
export async function testProviderConnection({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string };
}): Promise<ConnectionResult> {
  requireAdmin(ctx);
  const { env } = ctx.services;
  const adapter = findAdapter(input.id);
  if (!adapter) throw notFound();
  const stored = await readStoredSettings({ ctx });
  const config = configOf(env, adapter, stored.get(adapter.id));
  const missing = adapter.settings.filter((s) => s.required && !config[s.name]).map((s) => s.env);
  if (missing.length > 0) {
    return {
      ok: false,
      failure: "misconfigured",
      message: translate(ctx.locale, "adminProviders.errors.missingSettings", { keys: missing.join(", ") }),
    };
  }
  const started = performance.now();
  try {
    await adapter.testConnection(config, AbortSignal.timeout(connectionTimeoutMs));
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const failure = toProviderError(error);
    return { ok: false, failure: failure.failure, message: scrubSecrets(failure.message, adapter, config) };
  }
}
