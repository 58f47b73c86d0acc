import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { toDrizzleSql } from "./raw";

describe("toDrizzleSql", () => {
  const dialect = new PgDialect();

  it("turns pg-boss's positional SQL into parameters, undefined as NULL, repeated ones kept", () => {
    const query = dialect.sqlToQuery(toDrizzleSql("SELECT $1::int, $2, $1 || $3", [7, undefined, "x"]));
    expect(query.sql).toBe("SELECT $1::int, $2, $3 || $4");
    expect(query.params).toEqual([7, null, 7, "x"]);
  });

  it("leaves SQL without parameters alone", () => {
    expect(dialect.sqlToQuery(toDrizzleSql("SELECT 1", [])).sql).toBe("SELECT 1");
  });
});
