import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { jobs } from "./jobs";

/**
 * An admin's settings for one provider adapter. Keys are sealed with the app secret
 * (AES-256-GCM); a row overrides the environment, no row means the environment alone.
 */
export const providerSettings = pgTable("provider_settings", {
  providerId: text("provider_id").primaryKey(),
  enabled: boolean("enabled").notNull().default(true),
  /** Sealed JSON of { settingName: value }; only the names an admin set. */
  sealedConfig: text("sealed_config"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by"),
});

/** Small operator settings edited on the admin pages: provider order per capability, prompt blocklist. */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every call a job made to a provider, failed ones included: the admin's cost and latency record. */
export const providerCalls = pgTable(
  "provider_calls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    /** Order of the call within its attempt: calls of one attempt are written together. */
    callIndex: integer("call_index").notNull().default(0),
    step: integer("step").notNull(),
    capability: text("capability").notNull(),
    provider: text("provider").notNull(),
    model: text("model"),
    outcome: text("outcome", { enum: ["succeeded", "failed"] }).notNull(),
    failure: text("failure"),
    message: text("message"),
    latencyMs: integer("latency_ms").notNull(),
    costMicros: integer("cost_micros").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("provider_calls_job_idx").on(t.jobId), index("provider_calls_created_idx").on(t.createdAt)],
);
