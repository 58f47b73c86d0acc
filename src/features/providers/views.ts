// What the provider admin routes answer: shared with the admin pages (types only, no server code).

export type SettingSource = "env" | "admin" | "unset";

export type ProviderSettingView = {
  name: string;
  env: string;
  secret: boolean;
  required: boolean;
  /** Validated as an http(s) URL when saved. */
  url: boolean;
  source: SettingSource;
  /** Non-secret values in full; secrets only as a hint ("••••abcd"); null when unset. */
  value: string | null;
};

export type ProviderView = {
  id: string;
  name: string;
  enabled: boolean;
  configured: boolean;
  /** Where the required settings come from: built in (no settings), env, admin, or null when missing. */
  configuredBy: "builtin" | "env" | "admin" | null;
  settings: ProviderSettingView[];
  capabilities: string[];
  models: {
    id: string;
    family: string | null;
    capabilities: string[];
    costMicros: number;
    unit: "image" | "second" | "call";
  }[];
  envVars: string[];
};

export type ConnectionResult = { ok: true; latencyMs: number } | { ok: false; failure: string; message: string };

export type CapabilityOrder = { capability: string; providers: { id: string; name: string }[] };
