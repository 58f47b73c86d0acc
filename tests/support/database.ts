import { randomBytes } from "node:crypto";
import pg from "pg";

/** Tests run on PGlite by default and on PostgreSQL when TEST_DATABASE_URL is set. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const databaseKind = testDatabaseUrl ? "postgres" : "pglite";

/** A fresh database per test file on the Postgres server, dropped afterwards. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testDatabaseUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `pixelwerk_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A migrated database without the rest of the runtime, for tests of one module. */
export async function openTestDatabase() {
  const { openDatabase } = await import("@/server/db/client");
  const pgDatabase = testDatabaseUrl ? await createPostgresDatabase() : undefined;
  const handle = await openDatabase({ url: pgDatabase?.url, pgliteDir: "memory" });
  await handle.migrate();
  return {
    ...handle,
    async close() {
      await handle.close();
      await pgDatabase?.drop();
    },
  };
}
