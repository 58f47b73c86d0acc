import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { systemCtx, type Ctx, type Services } from "@/server/context";
import { createCpuQueue } from "@/server/cpu-queue";
import type { Db } from "@/server/db/types";
import { parseEnv } from "@/server/env";
import { createKeyedEvents } from "@/server/events";
import { logger } from "@/server/logger";
import { createMailer } from "@/server/mail/mailer";
import { createStorage } from "@/server/storage";

/**
 * Services around a test database, for tests that call business functions without a server. There
 * is no queue: a test that sends jobs starts a test server (tests/support/server.ts) instead.
 */
const servicesByDb = new WeakMap<Db, Services>();

export function testServices(db: Db): Services {
  const known = servicesByDb.get(db);
  if (known) return known;
  const services = buildServices(db);
  servicesByDb.set(db, services);
  return services;
}

function buildServices(db: Db): Services {
  const env = parseEnv({
    NODE_ENV: "test",
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "pixelwerk-services-")),
    APP_SECRET: "test-secret-test-secret-test-secret-0123",
    LOG_LEVEL: "warn",
  });
  return {
    env,
    db,
    queue: {
      send: async () => {
        throw new Error("no queue in this test: start a test server to send jobs");
      },
    },
    storage: createStorage(env),
    cpu: createCpuQueue({ concurrency: 1, maxWaiting: 10 }),
    events: createKeyedEvents(),
    clock: { now: () => new Date() },
    logger,
    mailer: createMailer(env, db, () => undefined),
  };
}

/** A system ctx over a test database (the actor of sign-up hooks, webhooks and sweeps). */
export function testSystemCtx(db: Db, reason = "test"): Ctx {
  return systemCtx(testServices(db), reason);
}
