// The admin answers the pages read: the shared view types the admin routes send.
export type { AdminJobView as AdminJob, CostSummary, CostTotals } from "@/features/admin/views";
export type { CapabilityOrder, ConnectionResult, ProviderSettingView, ProviderView } from "@/features/providers/views";
