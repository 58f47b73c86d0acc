import "server-only";
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "../db/client";
import type { Env } from "../env";

/** Queue names. `run-job-dead` receives jobs whose last attempt died (crash or timeout). */
export const queues = { runJob: "run-job", runJobDead: "run-job-dead" } as const;

export type QueueSettings = Pick<
  Env,
  "JOB_TIMEOUT_SECONDS" | "JOB_RETRY_LIMIT" | "JOB_RETRY_DELAY_SECONDS" | "QUEUE_MAINTENANCE_SECONDS"
>;

/** Starts pg-boss on the app database (its own schema `pgboss`) and makes sure the queues exist. */
export async function startBoss(database: DatabaseHandle, settings: QueueSettings): Promise<PgBoss> {
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
  await ensureQueue(boss, queues.runJobDead, { name: queues.runJobDead, retryLimit: 5, retryBackoff: true });
  await ensureQueue(boss, queues.runJob, {
    name: queues.runJob,
    retryLimit: settings.JOB_RETRY_LIMIT,
    retryDelay: settings.JOB_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    expireInSeconds: settings.JOB_TIMEOUT_SECONDS,
    deadLetter: queues.runJobDead,
  });
  return boss;
}

/** create_queue is ON CONFLICT DO NOTHING, so concurrent starts are safe; update applies new settings. */
async function ensureQueue(boss: PgBoss, name: string, options: PgBoss.Queue) {
  await boss.createQueue(name, options);
  await boss.updateQueue(name, options);
}
