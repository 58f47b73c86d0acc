import { defineConfig } from "@playwright/test";
// Tests import server code (billing's Stripe sync), which imports "server-only": load its empty
// module, as server.ts does. Workers load this config too, so the hook is in every process.
import "./scripts/register-server-only.mjs";

// Browser journeys against a production build (`npm run build` first), in Debian's Chromium
// (never a downloaded browser). Each test file starts its own production server (server.ts, see
// tests/e2e/app-server.ts): the journeys count on a fresh install (the first account is the
// admin, the job totals start at zero). Two workers run two files at once; each worker keeps one
// Chromium for all its files.
export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "*.e2e.ts",
  globalSetup: "./tests/e2e/global-setup.ts",
  outputDir: "test-results/playwright",
  timeout: 240_000,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    // The library's defaults the tests were written against (the runner would wait for ever).
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
});
