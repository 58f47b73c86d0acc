import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// Which test files run on both databases. The rule: a test file that imports the database client
// (src/server/db/client.ts) or a test fixture built on it (tests/support/database.ts, server.ts,
// billing.ts, ...) is a database test; every other test runs once, in the PGlite run, where
// no-database.ts refuses to open a database. So a test cannot touch a database and silently miss
// the Postgres run: it either imports a fixture (and is found here) or fails.

const fixtureRoots = ["tests/support/database.ts", "src/server/db/client.ts"];
const importPattern = /(?:from|import)\s*\(?\s*["']((?:\.{1,2}|@)\/[^"']+)["']/g;

function listFiles(root: string, folder: string, suffix: string): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(suffix))
    .map((file) => path.join(folder, file));
}

/** Relative and "@/" imports of a file, as paths from the project root with a .ts ending. */
function relativeImports(root: string, file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(importPattern)].map((match) => {
    const specifier = match[1]!;
    const target = specifier.startsWith("@/")
      ? path.join("src", specifier.slice(2))
      : path.join(path.dirname(file), specifier);
    return target.endsWith(".ts") ? target : `${target}.ts`;
  });
}

/** The test files (paths from the project root) that touch a database. */
export function findDatabaseTestFiles(root: string): string[] {
  const fixtures = new Set(fixtureRoots);
  const supportModules = listFiles(root, "tests/support", ".ts");
  // Support modules built on a fixture are fixtures too (server.ts on database.ts, billing.ts on server.ts).
  for (let grew = true; grew;) {
    grew = false;
    for (const file of supportModules) {
      if (!fixtures.has(file) && relativeImports(root, file).some((target) => fixtures.has(target))) {
        fixtures.add(file);
        grew = true;
      }
    }
  }
  const testFiles = [...listFiles(root, "src", ".test.ts"), ...listFiles(root, "tests", ".test.ts")];
  return testFiles.filter((file) => relativeImports(root, file).some((target) => fixtures.has(target))).sort();
}
