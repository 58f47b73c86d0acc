import type PgBoss from "pg-boss";
import type { Auth } from "@/features/auth/server/auth";
import type { Services } from "@/server/context";
import type { CpuQueue } from "@/server/cpu-queue";
import type { DatabaseHandle } from "@/server/db/client";
import type { Db } from "@/server/db/types";
import type { Env } from "@/server/env";
import type { logger } from "@/server/logger";
import type { Mailer } from "@/server/mail/mailer";
import type { QueueRunner } from "@/server/queue/registry";
import type { RateLimiter } from "@/server/rate-limit";
import type { Storage } from "@/server/storage/types";

/**
 * What one process is built from, as the routes and workers see it. The type lives here, below
 * bootstrap/, so features' route files can name it without importing the composition root that
 * imports them; `createCore` in src/bootstrap builds it. Business code takes `ctx.services` instead.
 */
export type Core = {
  env: Env;
  database: DatabaseHandle;
  db: Db;
  boss: PgBoss;
  /** Send, declare and consume the typed queues (the business code's view is `services.queue`). */
  queues: QueueRunner;
  storage: Storage;
  mailer: Mailer;
  auth: Auth;
  rateLimiter: RateLimiter;
  cpu: CpuQueue;
  logger: typeof logger;
  services: Services;
  close(): Promise<void>;
};
