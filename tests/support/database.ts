import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { copyPgliteTemplate, databaseUrl, onServer } from "./database-template";

/** Tests run on PGlite by default and on PostgreSQL when TEST_DATABASE_URL is set. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const databaseKind = testDatabaseUrl ? "postgres" : "pglite";

/** The migrated templates from database-global-setup.ts (none outside the "database" project). */
function templates() {
  return inject("databaseTemplates") ?? { pgliteDir: null, postgresName: null };
}

/** A fresh database per test file on the Postgres server (a copy of the migrated template), dropped afterwards. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testDatabaseUrl) throw new Error("TEST_DATABASE_URL is not set");
  const serverUrl = testDatabaseUrl;
  const name = `pixelwerk_test_${randomBytes(6).toString("hex")}`;
  const template = templates().postgresName;
  await onServer(serverUrl, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Seeds a runtime's PGlite folder (DATA_DIR/db) with the migrated template, so it skips initdb. */
export function seedPgliteFolder(dir: string) {
  copyPgliteTemplate(templates().pgliteDir, dir);
}

/** A migrated database without the rest of the runtime, for tests of one module. */
export async function openTestDatabase() {
  const { openDatabase } = await import("@/server/db/client");
  const pgDatabase = testDatabaseUrl ? await createPostgresDatabase() : undefined;
  // A copy of the PGlite template on disk opens in about a third of the time a fresh in-memory one takes.
  const copy = !pgDatabase && templates().pgliteDir ? mkdtempSync(path.join(tmpdir(), "pixelwerk-db-")) : undefined;
  const pgliteDir = copy ? path.join(copy, "db") : "memory";
  if (copy) seedPgliteFolder(pgliteDir);
  const handle = await openDatabase({ url: pgDatabase?.url, pgliteDir });
  await handle.migrate();
  return {
    ...handle,
    async close() {
      await handle.close();
      await pgDatabase?.drop();
      if (copy) rmSync(copy, { recursive: true, force: true });
    },
  };
}
