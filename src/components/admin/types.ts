// The admin answers the pages read are the server's own types (what src/features/*/api.ts sends).
// Type-only exports are erased from the browser bundle: no server code comes along.
export type { AdminJobView as AdminJob, CostSummary, CostTotals } from "@/features/admin/server/job-costs";
export type { CapabilityOrder } from "@/features/providers/server/provider-order";
export type { ConnectionResult, ProviderSettingView, ProviderView } from "@/features/providers/server/provider-settings";
