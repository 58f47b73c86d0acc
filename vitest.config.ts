import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit tests sit next to the code; integration tests live in tests/. Browser tests have their own
// config (vitest.e2e.config.ts) because they need a production build.
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname, "src"),
      // Server code imports "server-only"; in tests it is the package's empty module, as in Next.js's
      // server build (scripts/register-server-only.mjs does the same for plain Node).
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    env: { LOG_LEVEL: "warn", NODE_ENV: "test" },
  },
});
