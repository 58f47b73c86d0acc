import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

const origin = "http://127.0.0.1:3000";

describe("safeNext", () => {
  // Each of these, handed to router.push or location, would leave the site.
  const attacks = [
    "/\t/evil.example/pwn",
    "/%09/evil.example/pwn",
    "/\n/evil.example/pwn",
    "/%0a/evil.example/pwn",
    "/\r/evil.example/pwn",
    "/%0D/evil.example/pwn",
    "/\r\n/evil.example",
    "//evil.example",
    "//evil.example/pwn",
    "///evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/%5Cevil.example",
    "/%5c/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    " //evil.example",
    "\t//evil.example",
    "/ /evil.example",
    "https://evil.example",
    "https:evil.example",
    "http://127.0.0.1:3000.evil.example/",
    "http://127.0.0.1:3001/dashboard",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "dashboard",
    "?next=x",
    "#top",
    "/\u0000/evil.example",
    "/\u2028/evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/dashboard/..//evil.example",
  ];

  it.each(attacks)("sends %j to /dashboard", (next) => {
    const target = safeNext(next, origin);
    expect(target).toBe("/dashboard");
    // Whatever it returns must stay on our origin when the browser resolves it.
    expect(new URL(target, origin).origin).toBe(origin);
  });

  it.each([
    ["/dashboard", "/dashboard"],
    ["/gallery?page=2", "/gallery?page=2"],
    ["/generators/remove-background#result", "/generators/remove-background#result"],
    ["/admin/outbox", "/admin/outbox"],
    ["/studio/a%20b", "/studio/a%20b"],
    [`${origin}/billing`, "/billing"],
  ])("keeps the same-origin path %j", (next, expected) => {
    expect(safeNext(next, origin)).toBe(expected);
  });

  it("falls back without a next", () => {
    expect(safeNext(undefined, origin)).toBe("/dashboard");
    expect(safeNext("", origin)).toBe("/dashboard");
    expect(safeNext("/gallery", origin, "/studio")).toBe("/gallery");
    expect(safeNext("//x", origin, "/studio")).toBe("/studio");
  });
});
