import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { streamPost } from "../support/stream-body";
import { startAppServer } from "./app-server";
import { inContext, password, signUp, translator, type Env } from "./steps";

const MB = 1024 * 1024;

/** The server process's resident memory, from the kernel. */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.replace(/\D/g, "")) * 1024;
}

// The production server exactly as `npm start` runs it, on a fresh install: no APP_URL.
test.describe("the production server, as a fresh install runs it", () => {
  const env = {} as Env;
  const dataDir = mkdtempSync(path.join(tmpdir(), "pixelwerk-e2e-fresh-"));
  test.beforeAll(async ({ browser }) => {
    env.server = await startAppServer({ appUrl: false, dataDir });
    env.browser = browser;
  });
  test.afterAll(async () => {
    await env.server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("serves pages with a per-response script nonce and no 'unsafe-inline' for scripts", async () => {
    const first = await fetch(`${env.server.baseUrl}/sign-in`);
    const second = await fetch(`${env.server.baseUrl}/sign-in`);
    const policy = first.headers.get("content-security-policy") ?? "";
    const scripts = policy.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scripts).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(scripts).not.toContain("unsafe-inline");
    expect(second.headers.get("content-security-policy")).not.toBe(policy);
    const nonce = /'nonce-([^']+)'/.exec(scripts)![1]!;
    expect(await first.text()).toContain(`nonce="${nonce}"`);
  });

  test("signs up at 127.0.0.1 and at localhost, the addresses it announces", async () => {
    const t = translator("en");
    const port = new URL(env.server.baseUrl).port;
    for (const host of ["127.0.0.1", "localhost"]) {
      const server = { ...env.server, baseUrl: `http://${host}:${port}` };
      await inContext({ ...env, server }, `fresh-install-${host}`, async (page) => {
        await signUp(page, t, `fresh-${host}-${randomUUID()}@example.com`);
      });
    }
  });

  test("stops guessing spread over 60 emails from one address after 50 tries", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const response = await fetch(`${env.server.baseUrl}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: env.server.baseUrl,
          "x-forwarded-for": `203.0.113.${i}`,
        },
        body: JSON.stringify({ email: `guess-${i}-${randomUUID()}@example.com`, password: "wrong password" }),
      });
      statuses.push(response.status);
    }
    // The sign-ins of the test before count too: at most 50 from this address, whatever the email.
    expect(statuses.slice(0, 45)).toEqual(Array(45).fill(401));
    expect(statuses.slice(50)).toEqual(Array(10).fill(429));
  });

  test("refuses 20 concurrent anonymous 50 MB bodies unread, with the process's memory flat", async () => {
    const before = rssOf(env.server.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(env.server.pid))), 20);
    const targets = ["/api/webhooks/stripe", "/api/auth/sign-in/email", "/api/auth/sign-up/email", "/api/v1/jobs"];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => streamPost(env.server.baseUrl + targets[i % 4], { totalBytes: 50 * MB })),
    );
    clearInterval(sampler);
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(413));
    expect(Math.max(...results.map((r) => r.bytesSent))).toBeLessThan(16 * MB);
    console.log(`body flood: server RSS ${Math.round(before / MB)} MB before, ${Math.round(peak / MB)} MB peak`);
    expect(peak - before).toBeLessThan(200 * MB);
  });

  test("refuses a second server on the same data folder, which then still opens with its data", async () => {
    let refusal = "";
    await startAppServer({ appUrl: false, dataDir }).then(
      (second) => second.stop(),
      (error: Error) => (refusal = error.message),
    );
    expect(refusal).toMatch(/Another Pixelwerk process .*is already using the database/);
    expect((await fetch(`${env.server.baseUrl}/api/health`)).status).toBe(200);

    const email = `kept-${randomUUID()}@example.com`;
    const headers = { "content-type": "application/json", origin: env.server.baseUrl };
    const signUpAnswer = await fetch(`${env.server.baseUrl}/api/auth/sign-up/email`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "Kept", email, password }),
    });
    expect(signUpAnswer.status).toBe(200);
    await env.server.stop();
    env.server = await startAppServer({ appUrl: false, dataDir });
    const signIn = await fetch(`${env.server.baseUrl}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { ...headers, origin: env.server.baseUrl },
      body: JSON.stringify({ email, password }),
    });
    expect(signIn.status).toBe(200);
  });
});
