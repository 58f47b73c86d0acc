import "server-only";
import path from "node:path";
import { createAuth } from "@/features/auth/server/auth";
import type { Core } from "@/features/core";
import type { Services } from "@/server/context";
import { createCpuQueue } from "@/server/cpu-queue";
import { openDatabase, type DatabaseHandle } from "@/server/db/client";
import type { Env } from "@/server/env";
import { createKeyedEvents } from "@/server/events";
import { logger } from "@/server/logger";
import { createMailer } from "@/server/mail/mailer";
import { startBoss } from "@/server/queue/boss";
import { createQueueRunner } from "@/server/queue/registry";
import { createDatabaseRateLimiter, createMemoryRateLimiter } from "@/server/rate-limit";
import { createStorage } from "@/server/storage";
import { declaredQueues } from "./queues";

type CoreOptions = {
  /** An already open database (tests share one); the caller then closes it. */
  database?: DatabaseHandle;
};

/**
 * Builds everything a process needs, once: database (migrated), pg-boss with the app's queues,
 * storage, mail, auth, rate limiter, CPU queue, events, clock, logger. Serves nothing and runs no
 * consumer: `createWebApp` and `startWorkers` add those.
 */
export async function createCore(env: Env, options: CoreOptions = {}): Promise<Core> {
  const database =
    options.database ?? (await openDatabase({ url: env.DATABASE_URL, pgliteDir: path.join(env.dataDir, "db") }));
  await database.migrate();
  const db = database.db;
  const boss = await startBoss(database, env);
  const queues = createQueueRunner(boss, env, (msg, extra) => logger.error(extra, msg));
  for (const queue of declaredQueues) await queues.declare(queue);

  const mailer = createMailer(env, db, (msg) => logger.info(msg));
  const services: Services = {
    env,
    db,
    queue: queues,
    storage: createStorage(env),
    cpu: createCpuQueue({ concurrency: env.CPU_QUEUE_CONCURRENCY, maxWaiting: env.CPU_QUEUE_MAX_WAITING }),
    events: createKeyedEvents(),
    clock: { now: () => new Date() },
    logger,
    mailer,
  };
  return {
    env,
    database,
    db,
    boss,
    queues,
    storage: services.storage,
    mailer,
    auth: createAuth(services),
    rateLimiter: env.mode === "production" ? createDatabaseRateLimiter(db) : createMemoryRateLimiter(),
    cpu: services.cpu,
    logger,
    services,
    async close() {
      await boss.stop({ graceful: true, timeout: 5_000, wait: true }).catch(() => undefined);
      if (!options.database) await database.close();
    },
  };
}
