import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { databaseUrl, migrateTemplate, onServer } from "./database-template";

// Global setup of the "database" project: one migrated template per run (see database-template.ts).

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite data folder to copy (PGlite run), or the migrated Postgres database to clone. */
    databaseTemplates: { pgliteDir: string | null; postgresName: string | null };
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL || undefined;
  if (serverUrl) {
    const postgresName = `pixelwerk_template_${process.pid}_${Date.now()}`;
    await onServer(serverUrl, `CREATE DATABASE ${postgresName}`);
    await migrateTemplate({ url: databaseUrl(serverUrl, postgresName) });
    project.provide("databaseTemplates", { pgliteDir: null, postgresName });
    return () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${postgresName} WITH (FORCE)`);
  }
  const folder = mkdtempSync(path.join(tmpdir(), "pixelwerk-template-"));
  const pgliteDir = path.join(folder, "db");
  await migrateTemplate({ pgliteDir });
  project.provide("databaseTemplates", { pgliteDir, postgresName: null });
  return () => rmSync(folder, { recursive: true, force: true });
}
