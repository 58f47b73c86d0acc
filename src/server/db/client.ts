import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { lockDataFolder } from "./data-folder-lock";
import * as schema from "./schema";
import type { Db, SqlExecutor } from "./types";

export type DatabaseHandle = {
  kind: "pglite" | "postgres";
  db: Db;
  /** Raw client for pg-boss: PGlite through its own instance, Postgres through a connection string. */
  boss: { db: SqlExecutor } | { connectionString: string };
  migrate(): Promise<void>;
  close(): Promise<void>;
};

const migrationsFolder = path.join(process.cwd(), "drizzle");
/** Any constant: serialises migrations when several processes start at once on one Postgres. */
const MIGRATION_LOCK_ID = 7_240_117;

export type DatabaseOptions = { url?: string; pgliteDir?: string | "memory"; poolSize?: number };

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options.pgliteDir ?? "memory");
}

async function openPglite(dir: string): Promise<DatabaseHandle> {
  let unlock = () => {};
  if (dir !== "memory") {
    mkdirSync(dir, { recursive: true });
    unlock = lockDataFolder(dir);
  }
  const client = await (dir === "memory" ? PGlite.create() : PGlite.create(dir)).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    boss: { db: pgliteExecutor(client) },
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    async close() {
      await client.close();
      unlock();
    },
  };
}

/** pg-boss sends multi-statement scripts without parameters; PGlite runs those only through exec. */
export function pgliteExecutor(client: Pick<PGlite, "query" | "exec">): SqlExecutor {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) {
        const result = await client.query<Record<string, unknown>>(text, values);
        return { rows: result.rows };
      }
      const results = await client.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on the next query.
  pool.on("error", (error) => console.warn(`[db] idle connection closed: ${error.message}`));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    kind: "postgres",
    db,
    boss: { connectionString: url },
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
