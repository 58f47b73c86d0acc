// Web process: `npm start` (production build) or `npm run dev`. One Node HTTP server: /api and /i
// go to the Hono app with the real socket behind them, pages go to Next.js.
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { createCore } from "@/bootstrap/create-core";
import { createWebApp } from "@/bootstrap/create-web-app";
import { startWorkers } from "@/bootstrap/start-workers";
import { providerVariables } from "@/engine/providers/registry";
import { ConfigError, getEnv } from "@/server/env";
import { DataFolderInUseError } from "@/server/db/data-folder-lock";
import { createNodeServer } from "@/server/http/node-server";
import { logger } from "@/server/logger";

const dev = process.argv.includes("--dev");

async function main() {
  const env = getEnv(providerVariables());
  const core = await createCore(env);
  const app = createWebApp(core);
  if (env.RUN_WORKER_IN_WEB) await startWorkers(core);
  const pages = next({ dev, dir: path.dirname(fileURLToPath(import.meta.url)), hostname: env.HOST, port: env.PORT });
  await pages.prepare();
  const handlePage = pages.getRequestHandler();
  const server = createNodeServer({
    fetch: (request, bindings) => app.fetch(request, bindings),
    pages: (req, res) => handlePage(req, res),
    https: env.APP_URL.startsWith("https:"),
    dev,
    onPageError: (error) => logger.error({ err: error }, "page handler failed"),
  });
  if (dev) server.on("upgrade", pages.getUpgradeHandler());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, resolve);
  });
  logger.info({ mode: env.mode, worker: env.RUN_WORKER_IN_WEB }, "Pixelwerk is ready");
  printAddresses(env.APP_URL, env.publicOrigins);

  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "stopping");
      server.close();
      server.closeIdleConnections();
      void Promise.allSettled([core.close(), pages.close()]).then(() => process.exit(0));
    });
  }
}

function printAddresses(appUrl: string, origins: string[]) {
  const network = origins.filter(
    (o) => !/\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(o) && !o.startsWith(`${appUrl}`),
  );
  console.log(`\n  Pixelwerk\n  - Local:   ${appUrl}`);
  for (const origin of network.filter((o) => !o.includes("["))) console.log(`  - Network: ${origin}`);
  console.log("");
}

main().catch((error: unknown) => {
  // A start that cannot work stops with a message saying what to fix, never a server answering 500.
  if (error instanceof ConfigError || error instanceof DataFolderInUseError) console.error(`\n${error.message}\n`);
  else logger.fatal({ err: error }, "Pixelwerk could not start");
  process.exit(1);
});
