// Shapes of the /api/v1 answers the UI reads. The server owns the contract; these mirror it.

import type { PriceRule } from "@/catalog/price-of";
import type { LedgerKind } from "@/features/credits/ledger-kinds";

export type { LedgerKind, PriceRule };

export type Role = "user" | "admin";

export type Me = {
  user: { id: string; name: string; email: string; role: Role; emailVerified: boolean };
  account: { id: string; balance: number; held: number };
};

export type AssetKind = "upload" | "output" | "derived";

export type Asset = {
  id: string;
  kind: AssetKind;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  name: string | null;
  createdAt: string;
  url: string;
};

export type JsonSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  const?: unknown;
  default?: unknown;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  /** Labels of the enum values in the user's language, set by the server: { value: label }. */
  "x-enum-labels"?: Record<string, string>;
};

export type Generator = {
  id: string;
  title: string;
  description: string;
  category: string;
  price: number;
  /** How the inputs change the price (a model, a count): priceOf(pricing, inputs) is what is held. */
  pricing: PriceRule;
  mode: "sync" | "async";
  /** False when no AI provider for it is configured on this server. */
  available: boolean;
  /** Environment variables of which any one would make it available. */
  requires: string[];
  /** For a model choice: which models can run here ({ family: runnable }). */
  models?: Record<string, boolean>;
  inputSchema: JsonSchema;
};

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "canceled";

export type JobOutput = {
  assetId: string;
  url: string;
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
};

export type Job = {
  id: string;
  generator: string;
  status: JobStatus;
  progress: number;
  price: number;
  inputs: Record<string, unknown>;
  outputs: JobOutput[];
  /** Facts the tools reported, e.g. { focus: "subject", faceFound: false }. */
  result?: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export function isTerminal(status: JobStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "canceled";
}

export type LedgerEntry = {
  id: string;
  amount: number;
  kind: LedgerKind | (string & {});
  referenceType: string | null;
  referenceId: string | null;
  balanceAfter: number;
  createdAt: string;
  meta?: { captured?: number } & Record<string, unknown>;
};

export type OutboxMessage = { id: string; to: string; subject: string; text: string; createdAt: string };
