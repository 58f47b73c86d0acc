import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAndIn, type TestUser } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";
import { streamedUpload } from "../support/streamed-upload";

const hubble = readFileSync("tests/fixtures/images/hubble_deep_field.jpg");
const mebibyte = 1024 * 1024;
const filesIn = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/**
 * A real JPEG followed by zeros up to 20 MB: decoders stop at the end-of-image marker, so the
 * server pays the full cost of receiving 20 MB and little for decoding (this test is about bodies).
 */
const twentyMegabytes = new Uint8Array(20 * mebibyte);
twentyMegabytes.set(hubble);

describe("a flood of concurrent 20 MB uploads", () => {
  let server: TestServer;
  let flooder: TestUser;
  let others: TestUser[];

  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
    flooder = await signUpAndIn(server.baseUrl);
    others = [];
    for (let i = 0; i < 5; i++) others.push(await signUpAndIn(server.baseUrl));
  });
  afterAll(() => server?.close());

  function upload(user: TestUser) {
    return user.request("/api/v1/assets", streamedUpload(twentyMegabytes, "big.jpg")).then(async (response) => {
      await response.arrayBuffer();
      return { status: response.status, retryAfter: response.headers.get("retry-after") };
    });
  }

  it("is bounded per account (429) and per process (503) before bodies are read, with memory and health intact", async () => {
    // Warm up code paths and the allocator, then measure from there.
    expect((await upload(flooder)).status).toBe(201);
    global.gc?.();
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const temp = path.join(server.dataDir, "tmp", "uploads");
    let mostTempFiles = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
      mostTempFiles = Math.max(mostTempFiles, filesIn(temp).length);
    }, 10);

    const health: { status: number; ms: number }[] = [];
    let flooding = true;
    const pinger = (async () => {
      while (flooding) {
        const started = performance.now();
        const response = await fetch(`${server.baseUrl}/api/health`);
        await response.arrayBuffer();
        health.push({ status: response.status, ms: performance.now() - started });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const [mine, theirs] = await Promise.all([
      Promise.all(Array.from({ length: 40 }, () => upload(flooder))),
      Promise.all(others.flatMap((user) => Array.from({ length: 4 }, () => upload(user)))),
    ]);
    flooding = false;
    await pinger;
    clearInterval(sampler);

    const count = (results: { status: number }[], status: number) => results.filter((r) => r.status === status).length;
    const all = [...mine, ...theirs];
    // The figures first, so a failing run still reports them.
    const grownMb = (peak - baseline) / mebibyte;
    console.log(
      `upload flood: ${count(all, 201)} stored, ${count(all, 429)} x 429, ${count(all, 503)} x 503; RSS +${grownMb.toFixed(0)} MB ` +
        `(peak ${(peak / mebibyte).toFixed(0)} MB); health max ${Math.max(...health.map((h) => h.ms)).toFixed(0)} ms`,
    );
    // Only the three answers of a bounded server; no other 5xx.
    expect(all.every((r) => [201, 429, 503].includes(r.status))).toBe(true);
    // The flooder is held to 4 at a time: most of its 40 are refused at once.
    expect(count(mine, 201)).toBeGreaterThanOrEqual(1);
    expect(count(mine, 429)).toBeGreaterThanOrEqual(20);
    // The others stay within their own bound, so they never see 429; the process bound (16) is full.
    expect(count(theirs, 429)).toBe(0);
    expect(count(all, 503)).toBeGreaterThanOrEqual(1);
    for (const refused of all.filter((r) => r.status !== 201)) expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // At most 16 uploads were ever being received at once, and nothing is left on disk.
    expect(mostTempFiles).toBeLessThanOrEqual(16);
    expect(filesIn(temp)).toEqual([]);

    // Health answered throughout.
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((h) => h.status === 200)).toBe(true);

    // Buffering whole bodies took this process gigabytes (60 x 20 MB, several copies each);
    // streamed to disk, the flood costs a few hundred MB at most.
    expect(grownMb).toBeLessThan(500);
  });
});
