import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateTemplate } from "../support/database-template";
import { pgliteTemplateVariable } from "./app-server";

// Once per run: check the production build is there, and migrate one PGlite data folder that
// every app server starts from (a fresh PGlite spends 10+ s of CPU on initdb).
export default async function globalSetup() {
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    throw new Error("No production build found (.next/BUILD_ID is missing). Run `npm run build` first.");
  }
  const folder = mkdtempSync(path.join(tmpdir(), "pixelwerk-e2e-template-"));
  const pgliteDir = path.join(folder, "db");
  await migrateTemplate({ pgliteDir });
  // Workers inherit the runner's environment.
  process.env[pgliteTemplateVariable] = pgliteDir;
  return () => rmSync(folder, { recursive: true, force: true });
}
