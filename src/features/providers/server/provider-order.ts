import "server-only";
import { isCapability, type Capability } from "@/engine/providers/capabilities";
import { serves } from "@/engine/providers/directory";
import { findAdapter, listAdapters } from "@/engine/providers/registry";
import type { Ctx } from "@/server/context";
import { AppError, type FieldErrors } from "@/server/errors";
import { translate } from "@/server/i18n";
import { writeAppSetting } from "./app-settings";
import type { CapabilityOrder } from "../views";
import { requireAdmin } from "@/features/auth/server/require-admin";
import { providerOrderKey, readProviderOrder } from "./load-directory";

export type ProviderOrder = Record<string, string[]>;

/**
 * Capabilities worth ordering: those a remote provider (one with settings) serves. Each lists every
 * provider serving it in the order jobs try them: the admin's order first, then the adapters' own.
 */
export function effectiveOrder(order: ProviderOrder): CapabilityOrder[] {
  const adapters = listAdapters();
  const capabilities = new Set<Capability>();
  for (const adapter of adapters.filter((a) => a.settings.length > 0)) {
    for (const capability of [...(adapter.capabilities ?? []), ...adapter.models.flatMap((m) => m.capabilities)]) {
      capabilities.add(capability);
    }
  }
  return [...capabilities].map((capability) => {
    const serving = adapters.filter((adapter) => serves(adapter, capability));
    const saved = order[capability] ?? [];
    const rank = (id: string) => {
      const index = saved.indexOf(id);
      return index === -1 ? saved.length + serving.findIndex((a) => a.id === id) : index;
    };
    const providers = [...serving].sort((a, b) => rank(a.id) - rank(b.id)).map((a) => ({ id: a.id, name: a.name }));
    return { capability, providers };
  });
}

export async function getProviderOrder({ ctx }: { ctx: Ctx }) {
  requireAdmin(ctx);
  const order = await readProviderOrder({ ctx });
  return { order, capabilities: effectiveOrder(order) };
}

/**
 * Replaces the fallback order. Every id must name a provider that serves the capability, once;
 * an empty list removes the capability's entry (the adapters' own order applies again).
 */
export async function setProviderOrder({ ctx, input }: { ctx: Ctx; input: { order: ProviderOrder } }) {
  requireAdmin(ctx);
  const fields: FieldErrors = {};
  const fail = (capability: string, key: string, params: Record<string, string>) =>
    (fields[`order.${capability}`] ??= []).push(translate(ctx.locale, `adminProviders.errors.${key}`, params));
  const order: ProviderOrder = {};
  for (const [capability, ids] of Object.entries(input.order)) {
    if (ids.length === 0) continue;
    for (const id of ids) {
      const adapter = findAdapter(id);
      if (!adapter) fail(capability, "unknownProvider", { provider: id });
      else if (!isCapability(capability) || !serves(adapter, capability))
        fail(capability, "capabilityNotServed", { provider: id, capability });
    }
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate) fail(capability, "duplicateProvider", { provider: duplicate });
    order[capability] = ids;
  }
  if (Object.keys(fields).length > 0) throw new AppError("validation_failed", { fields });
  await writeAppSetting({ ctx, input: { key: providerOrderKey, value: order } });
  return { order, capabilities: effectiveOrder(order) };
}
