import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { providerVariables } from "@/engine/providers/registry";
import { parseEnv } from "@/server/env";
import { createCore } from "@/bootstrap/create-core";
import { createWebApp } from "@/bootstrap/create-web-app";
import { startWorkers } from "@/bootstrap/start-workers";
import type { Core } from "@/features/core";
import { createNodeServer } from "@/server/http/node-server";
import { createPostgresDatabase, seedPgliteFolder, testDatabaseUrl } from "./database";

export type TestServer = {
  /** The process core the server runs on (named rt since it was the runtime). */
  rt: Core;
  baseUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  close(): Promise<void>;
};

/**
 * A real core (database, queue, storage, auth) behind a real HTTP server on loopback. PGlite in
 * a temp folder, or a fresh database on the Postgres server when TEST_DATABASE_URL is set.
 */
export async function startTestServer(
  options: { runWorker?: boolean; env?: Record<string, string>; dataDir?: string; databaseUrl?: string } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "pixelwerk-test-"));
  const pgDatabase = !options.databaseUrl && testDatabaseUrl ? await createPostgresDatabase() : undefined;
  const databaseUrl = options.databaseUrl ?? pgDatabase?.url;
  if (!databaseUrl) seedPgliteFolder(path.join(dataDir, "db"));

  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response("starting", { status: 503 });
  // The production web server in front of the app; the pages (Next.js) are not part of these tests.
  const server = createNodeServer({
    fetch: (request, env) => handler(request, env),
    pages: async (_req, res) => void res.writeHead(404).end(),
    https: false,
    dev: false,
  });
  // A deep accept backlog: the concurrency tests open 1,000 connections at once.
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", 4096, () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const env = parseEnv(
    {
      NODE_ENV: "test",
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      APP_URL: baseUrl,
      APP_SECRET: "test-secret-test-secret-test-secret-0123",
      LOG_LEVEL: "warn",
      QUEUE_POLL_SECONDS: "0.5",
      QUEUE_MAINTENANCE_SECONDS: "1",
      JOB_RETRY_DELAY_SECONDS: "1",
      ...options.env,
    },
    providerVariables(),
  );
  const rt = await createCore(env);
  const app = createWebApp(rt);
  if (options.runWorker ?? true) await startWorkers(rt);
  handler = (request, bindings) => app.fetch(request, bindings);
  return {
    rt,
    baseUrl,
    dataDir,
    databaseUrl,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rt.close();
      await pgDatabase?.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
