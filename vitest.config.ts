import path from "node:path";
import { defineConfig } from "vitest/config";
import { findDatabaseTestFiles } from "./tests/support/database-test-files.js";

// Unit tests sit next to the code; integration tests live in tests/. Browser tests have their own
// runner (playwright.config.ts) because they need a production build.
//
// Two projects. "database": the test files that import a database fixture (the rule is in
// tests/support/database-test-files.ts); they run on PGlite, and on PostgreSQL when
// TEST_DATABASE_URL is set (`npm run test:postgres` runs only this project). "unit": everything
// else, run once; opening a database there fails (tests/support/no-database.ts).
const root = import.meta.dirname;
const databaseTests = findDatabaseTestFiles(root);

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(root, "src"),
      // Server code imports "server-only"; in tests it is the package's empty module, as in Next.js's
      // server build (scripts/register-server-only.mjs does the same for plain Node).
      "server-only": path.resolve(root, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    // A worker process runs many files: modules load once per worker, not once per file (imports
    // were a third of the run) and a model session serves every file. Files that change shared
    // registries undo it in afterAll (registerProvider/registerGenerator return the undo). ADR 0012.
    isolate: false,
    env: { LOG_LEVEL: "warn", NODE_ENV: "test" },
    projects: [
      {
        extends: true,
        test: {
          name: "database",
          include: databaseTests,
          globalSetup: ["tests/support/database-global-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
          exclude: ["tests/e2e/**", "node_modules/**", ...databaseTests],
          setupFiles: ["tests/support/no-database.ts"],
        },
      },
    ],
  },
});
