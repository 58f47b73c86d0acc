import { localAdapter } from "./local/index";
import type { ProviderAdapter } from "./types";

/** The built-in adapters, one file each, in the default fallback order: free local tools first. */
export const builtInAdapters: ProviderAdapter[] = [localAdapter];
