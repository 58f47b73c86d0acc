import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createNodeServer } from "./node-server";
import { isSameSite } from "./origin-check";
import { pageContentSecurityPolicy } from "./security-headers";

async function headersFrom(https: boolean, path: string) {
  const server = createNodeServer({
    fetch: () => new Response("{}", { headers: { "content-type": "application/json" } }),
    pages: async (_req, res) => void res.writeHead(200).end("page"),
    https,
    dev: false,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return (await fetch(`http://127.0.0.1:${port}${path}`)).headers;
  } finally {
    server.close();
  }
}

describe("security headers", () => {
  it("sends HSTS only when the public URL is https, on pages and API alike", async () => {
    for (const path of ["/", "/api/health", "/i/x/tr:w-10"]) {
      expect((await headersFrom(true, path)).get("strict-transport-security")).toMatch(/max-age=31536000/);
      const plain = await headersFrom(false, path);
      expect(plain.get("strict-transport-security")).toBeNull();
      expect(plain.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("gives pages a script policy with a nonce and without 'unsafe-inline'; API answers get none", async () => {
    const page = await headersFrom(false, "/gallery");
    expect(page.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'(;|$)/);
    expect((await headersFrom(false, "/api/health")).get("content-security-policy")).toBeNull();
    expect(pageContentSecurityPolicy("n", { dev: true })).toContain("'unsafe-eval'");
    const scripts = pageContentSecurityPolicy("n", { dev: false })
      .split("; ")
      .find((d) => d.startsWith("script-src"));
    expect(scripts).toBe("script-src 'self' 'nonce-n'");
  });

  it("takes a request as same-site only from a listed origin, or without Origin from no other site", () => {
    const allowed = new Set(["http://localhost:3000"]);
    expect(isSameSite("http://localhost:3000", undefined, allowed)).toBe(true);
    expect(isSameSite("http://localhost:3001", undefined, allowed)).toBe(false);
    expect(isSameSite("null", "same-origin", allowed)).toBe(false);
    expect(isSameSite(undefined, "cross-site", allowed)).toBe(false);
    expect(isSameSite(undefined, "same-site", allowed)).toBe(false);
    expect(isSameSite(undefined, "same-origin", allowed)).toBe(true);
    expect(isSameSite(undefined, undefined, allowed)).toBe(true);
  });
});
