import { describe, expect, it } from "vitest";
import { readCookie } from "./cookies";

describe("readCookie", () => {
  it("reads and decodes one cookie", () => {
    expect(readCookie("a=1; NEXT_LOCALE=de; b=x%20y", "NEXT_LOCALE")).toBe("de");
    expect(readCookie("a=1; b=x%20y", "b")).toBe("x y");
    expect(readCookie(undefined, "b")).toBeUndefined();
  });

  // A broken escape used to throw URIError in the first middleware: every request was a 500.
  it("treats a value with a broken escape as absent instead of throwing", () => {
    expect(readCookie("NEXT_LOCALE=%ZZ", "NEXT_LOCALE")).toBeUndefined();
    expect(readCookie("NEXT_LOCALE=%E0%A4%A", "NEXT_LOCALE")).toBeUndefined();
    expect(readCookie("NEXT_LOCALE=%ZZ; b=ok", "b")).toBe("ok");
  });
});
