// Production worker: `npm run worker`. Starts pg-boss consumers and nothing else; run as many as
// the load needs, beside stateless web processes, all on the same PostgreSQL and object storage.
import { getEnv } from "@/server/env";
import { logger } from "@/server/logger";
import { createRuntime } from "@/server/runtime";

const env = getEnv();
if (env.mode !== "production") {
  logger.warn("No DATABASE_URL: in embedded mode the web process (npm start) already runs the worker.");
}
const rt = await createRuntime(env, { runWorker: true });
logger.info({ concurrency: env.WORKER_CONCURRENCY }, "worker started");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    logger.info({ signal }, "worker stopping");
    void rt.close().then(() => process.exit(0));
  });
}
