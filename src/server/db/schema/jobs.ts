import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { accounts } from "./credits";
import { jobStatuses } from "./job-statuses";

export { jobStatuses, type JobStatus } from "./job-statuses";

/** `params` fill the translated message (e.g. maxMegapixels); `message` is the English detail. */
export type JobError = { code: string; message: string; params?: Record<string, string | number> };

/** One run of one generator for one account. Status only moves forward; terminal states are final. */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    generator: text("generator").notNull(),
    inputs: jsonb("inputs").$type<Record<string, unknown>>().notNull(),
    price: integer("price").notNull(),
    status: text("status", { enum: jobStatuses }).notNull().default("queued"),
    progress: integer("progress").notNull().default(0),
    provider: text("provider"),
    model: text("model"),
    /** What the providers charged us for this job, in millionths of a US dollar. */
    providerCostMicros: integer("provider_cost_micros"),
    /** Time spent in provider calls, and how many calls it took (fallbacks and retries included). */
    providerLatencyMs: integer("provider_latency_ms"),
    providerCalls: integer("provider_calls"),
    /** A long vendor task (a video) an attempt started: a retried attempt polls it instead of paying again. */
    providerTask: jsonb("provider_task").$type<{ step: number; provider: string; state: Record<string, unknown> }>(),
    error: jsonb("error").$type<JobError>(),
    /** Facts the tools report about the outputs, e.g. { focus: "subject", faceFound: false }. */
    result: jsonb("result").$type<Record<string, unknown>>(),
    attempts: integer("attempts").notNull().default(0),
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("jobs_price_non_negative", sql`${t.price} >= 0`),
    check("jobs_progress_range", sql`${t.progress} BETWEEN 0 AND 100`),
    uniqueIndex("jobs_account_idempotency_key").on(t.accountId, t.idempotencyKey),
    index("jobs_account_created_idx").on(t.accountId, t.createdAt),
  ],
);
