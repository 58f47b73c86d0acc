import { describe, expect, it } from "vitest";
import { signAssetUrl, signPath, verifySignedPath } from "./signed-url";

const secret = "s".repeat(32);
const query = (url: string) =>
  Object.fromEntries(new URL(url, "http://x").searchParams) as { expires: string; signature: string };

describe("signed asset URLs", () => {
  it("verifies a fresh URL for its own path only", () => {
    const url = signAssetUrl(secret, "abc", 600);
    expect(verifySignedPath(secret, "/api/v1/assets/abc/file", query(url))).toBe(true);
    expect(verifySignedPath(secret, "/api/v1/assets/abd/file", query(url))).toBe(false);
    expect(verifySignedPath("t".repeat(32), "/api/v1/assets/abc/file", query(url))).toBe(false);
  });

  it("rejects expired, tampered and missing signatures", () => {
    const expired = signPath(secret, "/p", 1000);
    expect(verifySignedPath(secret, "/p", query(expired), 1001)).toBe(false);
    expect(verifySignedPath(secret, "/p", query(expired), 999)).toBe(true);
    const q = query(expired);
    expect(verifySignedPath(secret, "/p", { ...q, expires: "2000" }, 999)).toBe(false);
    expect(verifySignedPath(secret, "/p", { ...q, signature: q.signature.slice(1) }, 999)).toBe(false);
    expect(verifySignedPath(secret, "/p", { expires: q.expires }, 999)).toBe(false);
  });
});
