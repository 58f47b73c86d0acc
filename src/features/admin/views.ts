// What the admin routes answer: shared with the admin pages (types only, no server code).
import type { JobStatus } from "@/server/db/schema/job-statuses";

export type AdminJobView = {
  id: string;
  accountId: string;
  generator: string;
  status: JobStatus;
  createdAt: string;
  /** Credits asked; they are only earned (revenue) when the job succeeds and the hold is captured. */
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
  /** Failed provider calls / all provider calls; null without calls. */
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
