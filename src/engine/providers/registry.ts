import { builtInAdapters } from "./adapters";
import { capabilities } from "./capabilities";
import type { Provider, ProviderAdapter, ProviderSetting } from "./types";

const adapters = new Map<string, ProviderAdapter>(builtInAdapters.map((adapter) => [adapter.id, adapter]));

/** Every adapter, in the default fallback order (admins may reorder per capability). */
export function listAdapters(): ProviderAdapter[] {
  return [...adapters.values()];
}

/** Every adapter's settings as environment variables, for parseEnv/getEnv at the process roots. */
export function providerVariables(): ProviderSetting[] {
  return listAdapters().flatMap((adapter) => adapter.settings);
}

export function findAdapter(id: string): ProviderAdapter | undefined {
  return adapters.get(id);
}

/** A ready provider that needs no configuration (tests' own tools, later plugins). Returns the undo. */
export function registerProvider(provider: Provider): () => void {
  const previous = adapters.get(provider.id);
  adapters.set(provider.id, {
    id: provider.id,
    name: provider.id,
    settings: [],
    models: [],
    capabilities: capabilities.filter((capability) => provider.capabilities[capability]),
    create: () => provider,
    testConnection: async () => undefined,
  });
  return () => {
    if (previous) adapters.set(provider.id, previous);
    else adapters.delete(provider.id);
  };
}
