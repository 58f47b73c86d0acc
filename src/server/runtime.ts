import path from "node:path";
import type PgBoss from "pg-boss";
import type { Hono } from "hono";
import { createCpuQueue, type CpuQueue } from "@/server/cpu-queue";
import { createAuth, type Auth } from "@/features/auth/server/auth";
import { startJobWorkers } from "@/features/jobs/server/worker";
import { openDatabase, type DatabaseHandle } from "./db/client";
import type { Services } from "./context";
import type { Db } from "./db/types";
import type { Env } from "./env";
import { createKeyedEvents, type KeyedEvents } from "./events";
import type { ApiEnv } from "./http/types";
import { createHttpApp } from "./http/app";
import { logger } from "./logger";
import { createMailer, type Mailer } from "./mail/mailer";
import { startBoss } from "./queue/boss";
import { createQueueSender } from "./queue/registry";
import { createDatabaseRateLimiter, createMemoryRateLimiter, type RateLimiter } from "./rate-limit";
import { createStorage } from "./storage";
import type { Storage } from "./storage/types";

/** Everything a process needs, built once: database, queue, storage, mail, auth, HTTP app. */
export type Runtime = {
  env: Env;
  database: DatabaseHandle;
  db: Db;
  boss: PgBoss;
  storage: Storage;
  mailer: Mailer;
  auth: Auth;
  rateLimiter: RateLimiter;
  /** Bounds CPU-heavy work on the request path (upload decoding). */
  cpu: CpuQueue;
  jobEvents: KeyedEvents;
  services: Services;
  logger: typeof logger;
  app: Hono<ApiEnv>;
  close(): Promise<void>;
};

export type RuntimeOptions = { runWorker: boolean; database?: DatabaseHandle };

export async function createRuntime(env: Env, options: RuntimeOptions): Promise<Runtime> {
  const database =
    options.database ??
    (await openDatabase({ url: env.DATABASE_URL, pgliteDir: path.join(env.dataDir, "db") }));
  await database.migrate();
  const boss = await startBoss(database, env);
  const db = database.db;
  const storage = createStorage(env);
  const mailer = createMailer(env, db, (msg) => logger.info(msg));
  const jobEvents = createKeyedEvents();
  const cpu = createCpuQueue({ concurrency: env.CPU_QUEUE_CONCURRENCY, maxWaiting: env.CPU_QUEUE_MAX_WAITING });
  const services: Services = {
    env,
    db,
    queue: createQueueSender(boss),
    storage,
    cpu,
    events: jobEvents,
    clock: { now: () => new Date() },
    logger,
    mailer,
  };
  const rt: Runtime = {
    env,
    database,
    db,
    boss,
    storage,
    mailer,
    auth: createAuth(env, db, mailer),
    rateLimiter: env.mode === "production" ? createDatabaseRateLimiter(db) : createMemoryRateLimiter(),
    cpu,
    jobEvents,
    services,
    logger,
    app: undefined as unknown as Hono<ApiEnv>,
    async close() {
      await boss.stop({ graceful: true, timeout: 5_000, wait: true }).catch(() => undefined);
      if (!options.database) await database.close();
    },
  };
  rt.app = createHttpApp(rt);
  if (options.runWorker) {
    await startJobWorkers(
      boss,
      { db, env, storage, events: jobEvents, log: (msg, extra) => logger.warn(extra ?? {}, msg) },
      { concurrency: env.WORKER_CONCURRENCY, pollingIntervalSeconds: env.QUEUE_POLL_SECONDS },
    );
  }
  return rt;
}
