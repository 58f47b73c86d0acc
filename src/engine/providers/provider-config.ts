import { ProviderError } from "./errors";
import type { ProviderConfig } from "./types";

/** A required setting's value; without it the provider is misconfigured and the next one serves. */
export function requireSetting(config: ProviderConfig, name: string, env: string): string {
  const value = config[name];
  if (!value) throw new ProviderError("misconfigured", `${env} is not set`);
  return value;
}

/** The configured base URL (a proxy or a compatible server), else the vendor's own; no trailing slash. */
export function apiBaseUrl(config: ProviderConfig, vendorDefault: string): string {
  return (config.baseUrl || vendorDefault).replace(/\/+$/, "");
}
