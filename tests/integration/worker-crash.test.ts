import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountIdOf, moneyState } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, userWithCookie } from "../support/client";
import { createPostgresDatabase, testDatabaseUrl } from "../support/database";
import { startTestServer } from "../support/server";
import { registerTestGenerators } from "../support/test-generators";

// A worker process is SIGKILLed in the middle of a job, then another worker starts. The job must
// end (succeeded when retries remain, failed when the killed attempt was the last) and its hold
// must be resolved exactly once. PGlite allows one process per data folder, so the phases take
// turns on the folder; on Postgres they share the database the same way.
const queueEnv = {
  JOB_TIMEOUT_SECONDS: "3",
  QUEUE_MAINTENANCE_SECONDS: "1",
  QUEUE_POLL_SECONDS: "0.5",
  JOB_RETRY_DELAY_SECONDS: "1",
};

describe("a worker killed mid-job", () => {
  let root: string;
  const dropDatabases: (() => Promise<void>)[] = [];
  let unregisterTestGenerators = () => {};

  beforeAll(() => {
    unregisterTestGenerators = registerTestGenerators();
    root = mkdtempSync(path.join(tmpdir(), "pixelwerk-crash-"));
  });
  afterAll(async () => {
    unregisterTestGenerators();
    for (const drop of dropDatabases) await drop();
    rmSync(root, { recursive: true, force: true });
  });

  async function crashScenario(retryLimit: number) {
    const dataDir = mkdtempSync(path.join(root, "data-"));
    const pg = testDatabaseUrl ? await createPostgresDatabase() : undefined;
    if (pg) dropDatabases.push(pg.drop);
    const env = { ...queueEnv, JOB_RETRY_LIMIT: String(retryLimit) };

    // 1. Accept the job with no worker running.
    const web = await startTestServer({ runWorker: false, dataDir, databaseUrl: pg?.url, env });
    const user = await signUpAndIn(web.baseUrl);
    const upload = await user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/chelsea.png"), "cat.png"),
    );
    const submitted = await user.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "slow", inputs: { image: upload.body.asset.id, width: 40 } }),
    );
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.job.id;
    await web.close();

    // 2. A worker picks it up and is killed while the tool runs.
    const marker = path.join(dataDir, "started");
    const doomed = startWorker({
      ...env,
      DATA_DIR: dataDir,
      DATABASE_URL: pg?.url,
      SLOW_MS: "120000",
      STARTED_MARKER: marker,
    });
    await waitFor(() => existsSync(marker), 60_000, "the job never started");
    doomed.kill("SIGKILL");
    await exited(doomed);

    // 3. A fresh worker recovers it once the killed attempt expires.
    const rescuer = startWorker({
      ...env,
      DATA_DIR: dataDir,
      DATABASE_URL: pg?.url,
      SLOW_MS: "0",
      EXIT_WHEN_JOB_ENDS: jobId,
    });
    const code = await exited(rescuer, 90_000);
    expect(code).toBe(0);

    // 4. Read the outcome.
    const check = await startTestServer({ runWorker: false, dataDir, databaseUrl: pg?.url, env });
    try {
      const again = userWithCookie(check.baseUrl, user.email, user.cookie);
      const job = (await again.json<{ job: { status: string; attempts: number } }>(`/api/v1/jobs/${jobId}`)).body.job;
      const state = await moneyState(check.rt.db, await accountIdOf(again));
      const count = (kind: string) => state.entries.filter((e) => e.kind === kind && e.referenceId === jobId).length;
      return { job, state, count };
    } finally {
      await check.close();
    }
  }

  it("with retries left: the job succeeds and is charged exactly once", async () => {
    const { job, state, count } = await crashScenario(2);
    expect(job.status).toBe("succeeded");
    expect(job.attempts).toBe(2);
    expect([count("hold"), count("capture"), count("release")]).toEqual([1, 1, 0]);
    expect(state).toMatchObject({ balance: 49, held: 0, entriesSum: 49 });
  });

  it("when the killed attempt was the last: the job fails and the hold is released exactly once", async () => {
    const { job, state, count } = await crashScenario(0);
    expect(job.status).toBe("failed");
    expect([count("hold"), count("capture"), count("release")]).toEqual([1, 0, 1]);
    expect(state).toMatchObject({ balance: 50, held: 0, entriesSum: 50 });
  });
});

function startWorker(env: Record<string, string | undefined>): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/register-server-only.mjs", "tests/support/worker-process.ts"],
    {
      env: { PATH: process.env.PATH, ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stderr?.on("data", (chunk) => process.stderr.write(`[worker ${child.pid}] ${chunk}`));
  return child;
}

function exited(child: ChildProcess, timeoutMs = 30_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`worker ${child.pid} did not exit in ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number, message: string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
