// Production worker: `npm run worker`. Starts pg-boss consumers and nothing else; run as many as
// the load needs, beside stateless web processes, all on the same PostgreSQL and object storage.
import { createCore } from "@/bootstrap/create-core";
import { startWorkers } from "@/bootstrap/start-workers";
import { providerVariables } from "@/engine/providers/registry";
import { getEnv } from "@/server/env";
import { logger } from "@/server/logger";

const env = getEnv(providerVariables());
if (env.mode !== "production") {
  logger.warn("No DATABASE_URL: in embedded mode the web process (npm start) already runs the worker.");
}
const core = await createCore(env);
await startWorkers(core);
logger.info({ concurrency: env.WORKER_CONCURRENCY }, "worker started");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    logger.info({ signal }, "worker stopping");
    void core.close().then(() => process.exit(0));
  });
}
