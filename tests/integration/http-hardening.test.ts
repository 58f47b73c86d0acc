import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, signUpAndIn, testPassword } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";
import { streamPost } from "../support/stream-body";

const MB = 1024 * 1024;

describe("request bodies are bounded before anything buffers them", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
  });
  afterAll(() => server?.close());

  it("refuses 20 concurrent anonymous 50 MB bodies with 413, reading a few MB at most, and memory stays flat", async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const targets = ["/api/webhooks/stripe", "/api/auth/sign-in/email", "/api/v1/jobs", "/api/auth/sign-up/email"];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        streamPost(server.baseUrl + targets[i % targets.length], {
          totalBytes: 50 * MB,
          headers: { origin: server.baseUrl },
        }),
      ),
    );
    clearInterval(sampler);
    for (const result of results) {
      expect(result.status).toBe(413);
      // The server stopped reading: far less than the 50 MB left the client.
      expect(result.bytesSent).toBeLessThan(16 * MB);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: "body_too_large" } });
    }
    expect(peak - before).toBeLessThan(300 * MB);
  });

  it("refuses a declared Content-Length over the limit at once, in the caller's language", async () => {
    const result = await streamPost(`${server.baseUrl}/api/webhooks/stripe`, {
      totalBytes: 40 * MB,
      declareLength: true,
      headers: { "accept-language": "de" },
    });
    expect(result.status).toBe(413);
    expect(result.bytesSent).toBeLessThan(16 * MB);
    expect(JSON.parse(result.body).error.message).toMatch(/zu groß/);
  });

  it("still takes ordinary bodies", async () => {
    const response = await post(server.baseUrl, "/api/auth/sign-in/email", {
      email: "nobody@example.com",
      password: "x".repeat(12),
    });
    expect(response.status).toBe(401);
  });

  it("refuses page requests with large or unbounded bodies unread", async () => {
    const chunked = await streamPost(`${server.baseUrl}/dashboard`, { totalBytes: 20 * MB });
    expect(chunked.status).toBe(411);
    expect(chunked.bytesSent).toBeLessThan(16 * MB);
    const declared = await streamPost(`${server.baseUrl}/dashboard`, { totalBytes: 20 * MB, declareLength: true });
    expect(declared.status).toBe(413);
  });
});

describe("per-address limits use the real peer address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
  });
  afterAll(() => server?.close());

  it("stops password guessing spread over 60 emails after 50 tries, whatever X-Forwarded-For says", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const response = await post(
        server.baseUrl,
        "/api/auth/sign-in/email",
        { email: `guess-${i}-${randomUUID()}@example.com`, password: "wrong password" },
        { "x-forwarded-for": `203.0.113.${i}` },
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(50)).toEqual(Array(10).fill(429));
  });

  it("allows 20 sign-ups an hour from one address, then 429 with Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const response = await post(server.baseUrl, "/api/auth/sign-up/email", {
        name: "Farmer",
        email: `farm-${i}-${randomUUID()}@example.com`,
        password: testPassword,
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("retry-after");
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual(Array(5).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it("limits password-reset and verification mails per address too", async () => {
    for (const path of ["/api/auth/request-password-reset", "/api/auth/send-verification-email"]) {
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) {
        const response = await post(server.baseUrl, path, {
          email: `mail-${i}-${randomUUID()}@example.com`,
          redirectTo: "/",
        });
        statuses.push(response.status);
      }
      expect(statuses.slice(0, 20)).not.toContain(429);
      expect(statuses.slice(20)).toEqual([429, 429]);
    }
  });
});

describe("behind a trusted proxy", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false, env: { TRUST_PROXY: "true" } });
  });
  afterAll(() => server?.close());

  it("keys the limit by the hop the proxy appended, so two clients behind it do not share one", async () => {
    const guess = (client: string) =>
      post(
        server.baseUrl,
        "/api/auth/sign-in/email",
        { email: `p-${randomUUID()}@example.com`, password: "wrong password" },
        // The first hop is whatever the client claimed; the last is what our proxy saw.
        { "x-forwarded-for": `10.9.9.9, ${client}` },
      );
    for (let i = 0; i < 50; i++) expect((await guess("198.51.100.7")).status).toBe(401);
    expect((await guess("198.51.100.7")).status).toBe(429);
    expect((await guess("198.51.100.8")).status).toBe(401);
  });
});

describe("/api/v1 with a session cookie", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false, env: { API_RATE_LIMIT_PER_MINUTE: "8" } });
  });
  afterAll(() => server?.close());

  it("refuses state-changing requests from a foreign origin (en/de), takes its own origin and non-browser clients", async () => {
    const user = await signUpAndIn(server.baseUrl);
    const submit = (headers: Record<string, string>) =>
      user.request("/api/v1/jobs", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ generator: "resize", inputs: {} }),
      });
    const foreign = await submit({ origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe("origin_not_allowed");
    const german = await submit({ origin: "null", "accept-language": "de" });
    expect((await german.json()).error.message).toMatch(/nicht erlaubt/);
    const crossSite = await submit({ "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    // Our own page, and a script with a cookie jar (no Origin, no Sec-Fetch-Site): past the check.
    expect((await submit({ origin: server.baseUrl })).status).toBe(400);
    expect((await submit({})).status).toBe(400);
  });

  it("limits requests per account with RateLimit headers, then 429 with Retry-After; other accounts are unaffected", async () => {
    const user = await signUpAndIn(server.baseUrl);
    const other = await signUpAndIn(server.baseUrl);
    const answers: Response[] = [];
    for (let i = 0; i < 9; i++) answers.push(await user.request("/api/v1/me"));
    expect(answers.slice(0, 8).map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(answers[0]!.headers.get("ratelimit-limit")).toBe("8");
    expect(answers[0]!.headers.get("ratelimit-remaining")).toBe("7");
    expect(answers[7]!.headers.get("ratelimit-remaining")).toBe("0");
    const refused = answers[8]!;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error.code).toBe("rate_limited");
    expect((await other.request("/api/v1/me")).status).toBe(200);
  });
});

describe("unknown paths", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
  });
  afterAll(() => server?.close());

  it("answer 404 {error} in the caller's language outside /api/v1 too", async () => {
    const response = await fetch(`${server.baseUrl}/api/nope`, { headers: { "accept-language": "de" } });
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).not.toBe("Not found.");
  });
});
