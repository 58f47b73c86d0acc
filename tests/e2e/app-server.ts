import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type AppServer = {
  baseUrl: string;
  dataDir: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Where global-setup.ts put the migrated PGlite data folder each server starts from. */
export const pgliteTemplateVariable = "PIXELWERK_E2E_PGLITE_TEMPLATE";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/**
 * Starts the production server (`server.ts` over the production build, as `npm start` does) on a
 * free port with a fresh data folder, and waits until /api/health answers 200. `env` is added to
 * the server's environment (a vendor fake's key and base URL); `appUrl: false` leaves APP_URL
 * unset, as on a fresh install.
 */
export async function startAppServer(
  options: { env?: Record<string, string>; appUrl?: false; dataDir?: string } = {},
): Promise<AppServer> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error(
      "No production build found (.next/BUILD_ID is missing). Run `npm run build` (or `npx next build`) first.",
    );
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "pixelwerk-e2e-"));
  // A copy of the migrated database skips initdb; a fresh install (no APP_URL) starts from nothing.
  const template = process.env[pgliteTemplateVariable];
  const database = path.join(dataDir, "db");
  if (template && options.appUrl !== false && !existsSync(database)) cpSync(template, database, { recursive: true });
  let log = "";
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", path.join(root, "scripts/register-server-only.mjs"), path.join(root, "server.ts")],
    {
      cwd: root,
      // Own process group, so stop() also ends anything the server started.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATA_DIR: dataDir,
        PORT: String(port),
        ...(options.appUrl === false ? {} : { APP_URL: baseUrl, HOST: "127.0.0.1" }),
        LOG_LEVEL: "warn",
        QUEUE_POLL_SECONDS: "0.5",
        ...options.env,
      },
    },
  );
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      const timeout = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }, 10_000);
      await exited(child);
      clearTimeout(timeout);
    }
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The server exited with code ${child.exitCode} before it was healthy:\n${log}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) return { baseUrl, dataDir, pid: child.pid!, output: () => log, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await stop();
  throw new Error(`The server did not answer 200 on /api/health within 120 s:\n${log}`);
}
