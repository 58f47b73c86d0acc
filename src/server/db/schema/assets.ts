import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { accounts } from "./credits";
import { jobs } from "./jobs";
import { oneOf } from "./one-of";

export const assetKinds = ["upload", "output", "derived"] as const;
export type AssetKind = (typeof assetKinds)[number];

/** A stored file. Bytes live in storage under `storageKey`; this row is the catalogue entry. */
export const assets = pgTable(
  "assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind", { enum: assetKinds }).notNull(),
    storageKey: text("storage_key").notNull().unique(),
    mime: text("mime").notNull(),
    bytes: integer("bytes").notNull(),
    width: integer("width"),
    height: integer("height"),
    sha256: text("sha256").notNull(),
    name: text("name"),
    jobId: uuid("job_id").references(() => jobs.id, { onDelete: "set null" }),
    outputIndex: integer("output_index"),
    retentionUntil: timestamp("retention_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("assets_kind_known", oneOf(t.kind, assetKinds)),
    index("assets_account_created_idx").on(t.accountId, t.createdAt),
    uniqueIndex("assets_job_output_idx").on(t.jobId, t.outputIndex),
    // The retention sweep's lookup: only rows with a deadline.
    index("assets_retention_idx")
      .on(t.retentionUntil)
      .where(sql`${t.retentionUntil} IS NOT NULL`),
  ],
);

export type AssetRow = typeof assets.$inferSelect;
