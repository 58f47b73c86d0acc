/** Ledger entry kinds; shared by the schema, the API and the statement UI (no server imports). */
export const ledgerKinds = [
  "signup_bonus",
  "purchase",
  "subscription_grant",
  "hold",
  "capture",
  "release",
  "refund",
  "clawback",
  "admin_adjustment",
  "expiry",
] as const;
export type LedgerKind = (typeof ledgerKinds)[number];
