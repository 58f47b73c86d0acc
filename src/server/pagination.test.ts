import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./pagination";

const b64 = (text: string) => Buffer.from(text).toString("base64url");

describe("pagination cursors", () => {
  it("decodes what it encodes", () => {
    const row = { createdAt: new Date("2026-03-04T05:06:07.089Z"), id: randomUUID() };
    expect(decodeCursor(encodeCursor(row))).toEqual(row);
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  // Each of these reached the database before and came back as a 500.
  it.each([
    ["a year past 9999", `+275760-09-13T00:00:00.000Z|${randomUUID()}`],
    ["a negative year", `-000001-01-01T00:00:00.000Z|${randomUUID()}`],
    ["year 0", `0000-01-01T00:00:00.000Z|${randomUUID()}`],
    ["an id that is not a uuid", "2024-01-01T00:00:00.000Z|not-a-uuid"],
    ["SQL in the id", `2024-01-01T00:00:00.000Z|${randomUUID()}' OR '1'='1`],
    ["a third part", `2024-01-01T00:00:00.000Z|${randomUUID()}|x`],
    ["a date only", `2024-01-01|${randomUUID()}`],
    ["February 30", `2024-02-30T00:00:00.000Z|${randomUUID()}`],
    ["JSON", JSON.stringify({ createdAt: "2024-01-01T00:00:00.000Z", id: randomUUID() })],
    ["nothing", "|"],
  ])("refuses %s as validation_failed", (_name, text) => {
    expect(() => decodeCursor(b64(text))).toThrow(expect.objectContaining({ code: "validation_failed", status: 400 }));
  });

  it("refuses bytes that are not base64 of text", () => {
    expect(() => decodeCursor("////")).toThrow(expect.objectContaining({ code: "validation_failed" }));
    expect(() => decodeCursor("%ZZ")).toThrow(expect.objectContaining({ code: "validation_failed" }));
  });
});
