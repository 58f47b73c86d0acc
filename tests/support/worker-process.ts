// A worker in its own process, for crash tests: the parent SIGKILLs it in the middle of a job.
// Env: DATA_DIR or DATABASE_URL, SLOW_MS, STARTED_MARKER, EXIT_WHEN_JOB_ENDS (a job id).
import { eq } from "drizzle-orm";
import { jobs } from "@/server/db/schema";
import { providerVariables } from "@/engine/providers/registry";
import { parseEnv } from "@/server/env";
import { createCore } from "@/bootstrap/create-core";
import { startWorkers } from "@/bootstrap/start-workers";
import { registerTestGenerators } from "./test-generators";

registerTestGenerators({ slowMs: Number(process.env.SLOW_MS ?? 0), startedMarker: process.env.STARTED_MARKER });
const env = parseEnv(
  { ...process.env, APP_SECRET: "test-secret-test-secret-test-secret-0123", LOG_LEVEL: "warn" },
  providerVariables(),
);
const core = await createCore(env);
await startWorkers(core);
process.stdout.write("worker ready\n");

const watched = process.env.EXIT_WHEN_JOB_ENDS;
if (watched) {
  const timer = setInterval(async () => {
    const [job] = await core.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, watched));
    if (job && ["succeeded", "failed", "canceled"].includes(job.status)) {
      clearInterval(timer);
      await core.close();
      process.exit(0);
    }
  }, 200);
}
