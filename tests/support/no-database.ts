import { vi } from "vitest";

// Setup of the tests that run once (not on both databases): opening a PGlite database fails here,
// so a test that touches a database cannot silently miss the Postgres run. See database-test-files.ts.
vi.mock("@electric-sql/pglite", async (importOriginal) => {
  const original = await importOriginal<typeof import("@electric-sql/pglite")>();
  const refuse = (): never => {
    throw new Error(
      "This test file opens a database but is not a database test, so the Postgres run would skip it. " +
        "Open the database through tests/support (openTestDatabase, startTestServer): see tests/support/database-test-files.ts.",
    );
  };
  const PGlite = new Proxy(original.PGlite, {
    construct: refuse,
    get: (target, key, receiver) => (key === "create" ? refuse : Reflect.get(target, key, receiver)),
  });
  return { ...original, PGlite };
});
