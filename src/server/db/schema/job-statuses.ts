// The states of a job, beside its table; imports nothing, so pages may import it (like ledger-kinds.ts).
export const jobStatuses = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type JobStatus = (typeof jobStatuses)[number];
