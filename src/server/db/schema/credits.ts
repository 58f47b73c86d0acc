import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { ledgerKinds, type LedgerKind } from "./ledger-kinds";
import { users } from "./auth";
import { oneOf } from "./one-of";

/** Who pays. `balance` caches the sum of ledger entries; `held` caches the sum of open holds. */
export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ["personal", "team"] })
      .notNull()
      .default("personal"),
    ownerUserId: text("owner_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    balance: integer("balance").notNull().default(0),
    held: integer("held").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("accounts_balance_non_negative", sql`${t.balance} >= 0`),
    check("accounts_held_non_negative", sql`${t.held} >= 0`),
    // One personal account per user; teams (later) may have many members but one owner row each.
    uniqueIndex("accounts_personal_owner_idx")
      .on(t.ownerUserId)
      .where(sql`kind = 'personal'`),
  ],
);

export { ledgerKinds, type LedgerKind };

/** Immutable (a trigger rejects UPDATE and DELETE); corrections are new entries. */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    amount: integer("amount").notNull(),
    kind: text("kind", { enum: ledgerKinds }).notNull(),
    referenceType: text("reference_type", { enum: ["job", "user", "stripe_event", "admin"] }).notNull(),
    referenceId: text("reference_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    balanceAfter: integer("balance_after").notNull(),
    meta: jsonb("meta").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The database refuses a kind the code does not know, whoever writes the row.
    check("ledger_entries_kind_known", oneOf(t.kind, ledgerKinds)),
    index("ledger_entries_account_idx").on(t.accountId, t.createdAt),
  ],
);

export const holds = pgTable(
  "holds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    jobId: uuid("job_id").notNull().unique(),
    amount: integer("amount").notNull(),
    status: text("status", { enum: ["open", "captured", "released"] })
      .notNull()
      .default("open"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [check("holds_amount_positive", sql`${t.amount} > 0`), index("holds_account_idx").on(t.accountId)],
);
