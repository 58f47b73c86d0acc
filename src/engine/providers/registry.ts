import { localProvider } from "./local/index";
import type { Provider } from "./types";

const providers = new Map<string, Provider>([[localProvider.id, localProvider]]);

export function getProvider(id: string): Provider | undefined {
  return providers.get(id);
}

/** Vendor adapters register here at start (issue 4); tests register their own failing tools. */
export function registerProvider(provider: Provider): void {
  providers.set(provider.id, provider);
}
