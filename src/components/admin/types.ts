// Shapes of the admin answers the pages read (see src/features/providers/api.ts and admin/api.ts).

export type ProviderSettingView = {
  name: string;
  env: string;
  secret: boolean;
  required: boolean;
  url: boolean;
  source: "env" | "admin" | "unset";
  value: string | null;
};

export type ProviderView = {
  id: string;
  name: string;
  enabled: boolean;
  configured: boolean;
  configuredBy: "builtin" | "env" | "admin" | null;
  settings: ProviderSettingView[];
  capabilities: string[];
  models: { id: string; family: string | null; capabilities: string[]; costMicros: number; unit: "image" | "second" | "call" }[];
  envVars: string[];
};

export type ConnectionResult = { ok: true; latencyMs: number } | { ok: false; failure: string; message: string };

export type CapabilityOrder = { capability: string; providers: { id: string; name: string }[] };

export type CostTotals = {
  jobs: number;
  succeeded: number;
  credits: number;
  revenueMicros: number;
  providerCostMicros: number;
  marginMicros: number;
  avgLatencyMs: number | null;
  calls: number;
  failedCalls: number;
  failureRate: number | null;
};

export type CostSummary = {
  days: number;
  since: string;
  creditValueMicros: number;
  totals: CostTotals;
  byGenerator: (CostTotals & { generator: string })[];
  byProvider: (CostTotals & { provider: string })[];
};

export type AdminJob = {
  id: string;
  accountId: string;
  generator: string;
  status: "queued" | "running" | "succeeded" | "failed" | "canceled";
  createdAt: string;
  price: number;
  revenueMicros: number;
  provider: string | null;
  model: string | null;
  providerCostMicros: number;
  marginMicros: number;
  latencyMs: number | null;
  providerCalls: number;
  failedCalls: number;
};
