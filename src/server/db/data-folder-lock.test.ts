import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { DataFolderInUseError } from "./data-folder-lock";

const root = mkdtempSync(path.join(tmpdir(), "pixelwerk-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Opens the folder's database in another process, as a second `npm start` would. */
function openInAnotherProcess(dir: string): Promise<{ code: number | null; output: string }> {
  const script = `
    import { openDatabase } from "./src/server/db/client.ts";
    const handle = await openDatabase({ pgliteDir: ${JSON.stringify(dir)} });
    await handle.close();
    console.log("opened");`;
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--import", "./scripts/register-server-only.mjs", "--input-type=module", "-e", script],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("the embedded data folder is held by one process", () => {
  it("refuses a second opener with a clear message, and the folder opens again with its data afterwards", async () => {
    const dir = path.join(root, "db");
    const first = await openDatabase({ pgliteDir: dir });
    await first.db.execute(sql`CREATE TABLE kept (v text)`);
    await first.db.execute(sql`INSERT INTO kept VALUES ('still here')`);

    await expect(openDatabase({ pgliteDir: dir })).rejects.toBeInstanceOf(DataFolderInUseError);
    const other = await openInAnotherProcess(dir);
    expect(other.code).not.toBe(0);
    expect(other.output).toMatch(/Another Pixelwerk process .*is already using the database/);

    await first.close();
    const again = await openDatabase({ pgliteDir: dir });
    const rows = await again.db.execute(sql`SELECT v FROM kept`);
    expect((rows as unknown as { rows: { v: string }[] }).rows).toEqual([{ v: "still here" }]);
    await again.close();
  }, 120_000);
});
