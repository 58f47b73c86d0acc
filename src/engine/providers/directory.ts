import type { Capability } from "./capabilities";
import type { ModelOffer, Provider, ProviderAdapter, ProviderConfig } from "./types";

/** One adapter as configured here: its settings, whether an admin switched it off. */
export type DirectoryEntry = {
  adapter: ProviderAdapter;
  config: ProviderConfig;
  enabled: boolean;
};

export type Candidate = {
  providerId: string;
  provider: Provider;
  offer?: ModelOffer;
  config: ProviderConfig;
  /** A vendor or server over the network (it has settings), not a tool in this process. */
  remote: boolean;
  /** The values of its secret settings: scrubbed from any message a vendor sends back. */
  secrets: string[];
};

export type ProviderDirectory = {
  entries: DirectoryEntry[];
  /** Providers to try for a capability, in order: the generator's preference, then the admin's order. */
  candidates(capability: Capability, options?: { prefer?: string[]; family?: string }): Candidate[];
  /** The environment variables of which any one would enable the capability here. */
  requirements(capability: Capability, family?: string): string[];
};

export function isConfigured(entry: Pick<DirectoryEntry, "adapter" | "config">): boolean {
  return entry.adapter.settings.every((setting) => !setting.required || Boolean(entry.config[setting.name]));
}

/** The offer of an adapter for a capability (and model family, when one is asked for). */
export function offerFor(adapter: ProviderAdapter, capability: Capability, family?: string): ModelOffer | undefined {
  return adapter.models.find((m) => m.capabilities.includes(capability) && (!family || m.family === family));
}

/** Whether the adapter serves the capability at all; adapters without offers serve any family. */
export function serves(adapter: ProviderAdapter, capability: Capability, family?: string): boolean {
  return Boolean(offerFor(adapter, capability, family)) || Boolean(adapter.capabilities?.includes(capability));
}

/**
 * Builds the directory a job runs with. `order` is the admin's fallback order per capability;
 * providers it does not name follow in the adapters' own order.
 */
export function createDirectory(entries: DirectoryEntry[], order: Record<string, string[]> = {}): ProviderDirectory {
  const created = new Map<string, Provider>();
  const providerOf = (entry: DirectoryEntry) => {
    let provider = created.get(entry.adapter.id);
    if (!provider) {
      provider = entry.adapter.create(entry.config);
      created.set(entry.adapter.id, provider);
    }
    return provider;
  };
  const rank = (capability: Capability, prefer: string[]) => {
    const ordered = [...prefer, ...(order[capability] ?? [])];
    return (id: string) => {
      const index = ordered.indexOf(id);
      return index === -1 ? ordered.length + entries.findIndex((e) => e.adapter.id === id) : index;
    };
  };
  return {
    entries,
    candidates(capability, { prefer = [], family } = {}) {
      const rankOf = rank(capability, prefer);
      return entries
        .filter((entry) => entry.enabled && isConfigured(entry) && serves(entry.adapter, capability, family))
        .sort((a, b) => rankOf(a.adapter.id) - rankOf(b.adapter.id))
        .map((entry) => ({
          providerId: entry.adapter.id,
          provider: providerOf(entry),
          offer: offerFor(entry.adapter, capability, family),
          config: entry.config,
          remote: entry.adapter.settings.length > 0,
          secrets: entry.adapter.settings
            .filter((setting) => setting.kind === "secret")
            .map((setting) => entry.config[setting.name])
            .filter((value): value is string => Boolean(value)),
        }));
    },
    requirements(capability, family) {
      const names = entries
        .filter((entry) => serves(entry.adapter, capability, family))
        .flatMap((entry) => entry.adapter.settings.filter((s) => s.required).map((s) => s.env));
      return [...new Set(names)];
    },
  };
}
