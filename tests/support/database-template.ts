import { cpSync, existsSync } from "node:fs";
import pg from "pg";
import PgBoss from "pg-boss";
import { openDatabase } from "@/server/db/client";

// Migrate ONCE, then start every test database as a copy. A fresh PGlite runs initdb in
// WebAssembly (6-14 s of CPU each, about 45 times in a run); copying a migrated data folder and
// opening it takes about 2 s. On Postgres, CREATE DATABASE ... TEMPLATE replaces the migrations and
// pg-boss's schema set-up of every test file (1.7 s -> 0.7 s each).

/** Runs the migrations and creates pg-boss's own schema (the name the app gives it), as every runtime would. */
export async function migrateTemplate(options: { url?: string; pgliteDir?: string }) {
  const handle = await openDatabase(options);
  try {
    await handle.migrate();
    const boss = new PgBoss({ ...handle.boss, schema: "pgboss", supervise: false, schedule: false });
    await boss.start();
    await boss.stop({ graceful: false, wait: true });
  } finally {
    await handle.close();
  }
}

/** Puts a copy of the migrated PGlite template at `dir` unless a database is already there. */
export function copyPgliteTemplate(template: string | null | undefined, dir: string) {
  if (template && !existsSync(dir)) cpSync(template, dir, { recursive: true });
}

/** Runs one statement on the server's maintenance connection (CREATE/DROP DATABASE). */
export async function onServer(url: string, statement: string) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
