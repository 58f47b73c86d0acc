import "server-only";
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "../db/client";
import type { Env } from "../env";

/**
 * Starts pg-boss on the app database (its own schema `pgboss`). The queues themselves are declared
 * by the features (`defineQueue`) and created by the composition root.
 */
export async function startBoss(
  database: DatabaseHandle,
  settings: Pick<Env, "QUEUE_MAINTENANCE_SECONDS">,
): Promise<PgBoss> {
  const boss = new PgBoss({
    ...database.boss,
    schema: "pgboss",
    // PGlite is one connection; Postgres gets a small pool of its own.
    ...(database.kind === "postgres" ? { max: 4 } : {}),
    maintenanceIntervalSeconds: settings.QUEUE_MAINTENANCE_SECONDS,
  });
  boss.on("error", (error) => {
    // Transient maintenance errors (e.g. a dropped connection) must not crash the process.
    console.error("[queue]", error instanceof Error ? error.message : error);
  });
  await boss.start();
  return boss;
}
