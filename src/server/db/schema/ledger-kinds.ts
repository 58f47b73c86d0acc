/**
 * Ledger entry kinds: the database's CHECK, the API enum and the statement UI all use this list.
 * Imports nothing, so the UI may take it (through features/credits/ledger-kinds.ts). Two are
 * reserved, not posted yet: they are part of the domain (DESIGN.md), the API enum and both
 * languages already carry them, so adding the feature needs no migration.
 */
export const ledgerKinds = [
  "signup_bonus",
  "purchase",
  "subscription_grant",
  "hold",
  "capture",
  "release",
  /** Reserved: credits given back for a captured job (support); a Stripe refund posts a clawback. */
  "refund",
  "clawback",
  "admin_adjustment",
  /** Reserved: credits that expire, off until an operator asks for it (ADR 0009). */
  "expiry",
] as const;
export type LedgerKind = (typeof ledgerKinds)[number];
