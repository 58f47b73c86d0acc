import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import de from "@/messages/de.json";
import en from "@/messages/en.json";
import { accounts, ledgerEntries, mailOutbox, users } from "@/server/db/schema";
import { post, sessionCookie, signUpAndIn, testPassword } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";

const newEmail = (tag: string) => `${tag}-${randomUUID()}@example.com`;
const me = (server: TestServer, cookie: string) => fetch(`${server.baseUrl}/api/v1/me`, { headers: { cookie } });

/** Mail is written after the auth transaction; give it a moment to land. */
async function mailsTo(server: TestServer, email: string, atLeast = 1) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const rows = await server.rt.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.to, email))
      .orderBy(asc(mailOutbox.createdAt));
    if (rows.length >= atLeast || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function starterEntries(server: TestServer, email: string) {
  return server.rt.db
    .select({ kind: ledgerEntries.kind, amount: ledgerEntries.amount })
    .from(ledgerEntries)
    .innerJoin(accounts, eq(accounts.id, ledgerEntries.accountId))
    .innerJoin(users, eq(users.id, accounts.ownerUserId))
    .where(eq(users.email, email));
}

describe("sessions and the session endpoint", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
  });
  afterAll(() => server?.close());

  it("signs out every other session on a password change, whatever the client asks", async () => {
    const user = await signUpAndIn(server.baseUrl, newEmail("change"));
    const laptop = user.cookie;
    const phone = sessionCookie(
      await post(server.baseUrl, "/api/auth/sign-in/email", { email: user.email, password: testPassword }),
    );
    expect((await me(server, phone)).status).toBe(200);

    const newPassword = "a completely new passphrase";
    const change = await post(
      server.baseUrl,
      "/api/auth/change-password",
      { currentPassword: testPassword, newPassword, revokeOtherSessions: false },
      { cookie: laptop },
    );
    expect(change.status).toBe(200);

    expect((await me(server, phone)).status).toBe(401);
    // The device that changed it stays signed in, with a fresh session cookie.
    const fresh = sessionCookie(change);
    expect((await me(server, fresh)).status).toBe(200);
    expect(
      (await post(server.baseUrl, "/api/auth/sign-in/email", { email: user.email, password: newPassword })).status,
    ).toBe(200);
  });

  it("does not put session tokens in the get-session and list-sessions bodies", async () => {
    const user = await signUpAndIn(server.baseUrl, newEmail("token"));
    const token = decodeURIComponent(/session_token=([^;]+)/.exec(user.cookie)![1]!).split(".")[0]!;
    const response = await fetch(`${server.baseUrl}/api/auth/get-session`, { headers: { cookie: user.cookie } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const body = JSON.parse(text) as { session: Record<string, unknown>; user: { email: string } };
    expect(body.user.email).toBe(user.email);
    expect(body.session.userId).toBeTruthy();
    expect(body.session).not.toHaveProperty("token");
    expect(text).not.toContain(token);

    const list = await fetch(`${server.baseUrl}/api/auth/list-sessions`, { headers: { cookie: user.cookie } });
    expect(list.status).toBe(200);
    const sessions = (await list.json()) as Record<string, unknown>[];
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) expect(session).not.toHaveProperty("token");
  });

  it("limits names to 100 characters with a clear message", async () => {
    const email = newEmail("long-name");
    const tooLong = await post(server.baseUrl, "/api/auth/sign-up/email", {
      name: "n".repeat(101),
      email,
      password: testPassword,
    });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error).toEqual({
      code: "name_too_long",
      message: en.errors.name_too_long.replace("{max}", "100"),
    });
    const german = await post(
      server.baseUrl,
      "/api/auth/sign-up/email",
      { name: "n".repeat(5000), email, password: testPassword },
      { "accept-language": "de" },
    );
    expect((await german.json()).error.message).toBe(de.errors.name_too_long.replace("{max}", "100"));
    expect(await server.rt.db.select().from(users).where(eq(users.email, email))).toEqual([]);

    const fits = await signUpAndIn(server.baseUrl, email);
    const rename = await post(
      server.baseUrl,
      "/api/auth/update-user",
      { name: "m".repeat(101) },
      { cookie: fits.cookie },
    );
    expect(rename.status).toBe(400);
    expect((await rename.json()).error.code).toBe("name_too_long");
    expect(
      (await post(server.baseUrl, "/api/auth/update-user", { name: "m".repeat(100) }, { cookie: fits.cookie })).status,
    ).toBe(200);
  });
});

describe("sign-up timing", () => {
  let server: TestServer;
  // Behind a trusted proxy each request names its own address, so the per-address limit does not
  // cut the sample short; the per-email limit (5 an hour) still holds, hence several known emails.
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false, env: { TRUST_PROXY: "true" } });
  });
  afterAll(() => server?.close());

  it("takes as long for a registered email as for a new one", async () => {
    let address = 0;
    const timed = async (email: string) => {
      address += 1;
      const started = performance.now();
      const response = await post(
        server.baseUrl,
        "/api/auth/sign-up/email",
        { name: "Timing", email, password: testPassword },
        { "x-forwarded-for": `10.9.${address >> 8}.${address & 255}` },
      );
      const elapsed = performance.now() - started;
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return elapsed;
    };
    const known = Array.from({ length: 6 }, () => newEmail("known"));
    for (const email of known) await timed(email);

    const fresh: number[] = [];
    const existing: number[] = [];
    for (let i = 0; i < 24; i++) {
      // Interleaved, so load from other processes hits both sides alike.
      fresh.push(await timed(newEmail("fresh")));
      existing.push(await timed(known[i % known.length]!));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    const [a, b] = [median(fresh.slice(2)), median(existing.slice(2))];
    console.info(`sign-up median: new email ${a.toFixed(1)} ms, registered email ${b.toFixed(1)} ms`);
    // Before the floor the ratio was 1.41-1.62; room above 1 for a shared, noisy machine.
    expect(Math.max(a, b) / Math.min(a, b)).toBeLessThan(1.25);
  });
});

describe("starter credits without REQUIRE_EMAIL_VERIFICATION", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
  });
  afterAll(() => server?.close());

  it("grants them at sign-up, before the email is verified", async () => {
    const user = await signUpAndIn(server.baseUrl, newEmail("open"));
    const body = (await (await me(server, user.cookie)).json()) as {
      user: { emailVerified: boolean };
      account: { balance: number };
    };
    expect(body.user.emailVerified).toBe(false);
    expect(body.account.balance).toBe(50);
    expect(await starterEntries(server, user.email)).toEqual([{ kind: "signup_bonus", amount: 50 }]);
  });
});

describe("starter credits with REQUIRE_EMAIL_VERIFICATION", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false, env: { REQUIRE_EMAIL_VERIFICATION: "true" } });
  });
  afterAll(() => server?.close());

  it("grants them once the email is verified, and only once", async () => {
    const email = newEmail("gated");
    expect(
      (await post(server.baseUrl, "/api/auth/sign-up/email", { name: "Gated", email, password: testPassword })).status,
    ).toBe(200);
    expect((await post(server.baseUrl, "/api/auth/sign-in/email", { email, password: testPassword })).status).toBe(403);
    expect(await starterEntries(server, email)).toEqual([]);

    const [mail] = await mailsTo(server, email);
    const link = /https?:\/\/\S+/.exec(mail!.text)![0];
    const followed = await fetch(link, { redirect: "manual" });
    expect([200, 302]).toContain(followed.status);
    const signIn = await post(server.baseUrl, "/api/auth/sign-in/email", { email, password: testPassword });
    expect(signIn.status).toBe(200);
    const body = (await (await me(server, sessionCookie(signIn))).json()) as { account: { balance: number } };
    expect(body.account.balance).toBe(50);

    // Verifying again (the link twice, or a fresh one) grants nothing more.
    await fetch(link, { redirect: "manual" });
    await post(server.baseUrl, "/api/auth/send-verification-email", { email });
    expect(await starterEntries(server, email)).toEqual([{ kind: "signup_bonus", amount: 50 }]);
  });

  it("grants them at once to a user whose provider vouches for the email", async () => {
    // What a Google or GitHub sign-in does with a verified email: create the user through the
    // same adapter and hooks (the vendors cannot be reached from here).
    const context = await server.rt.auth.$context;
    const email = newEmail("social");
    const source = { method: "oauth", oauth: { providerId: "google" } };
    await context.internalAdapter.createUser({ email, name: "Social", emailVerified: true }, source);
    expect(await starterEntries(server, email)).toEqual([{ kind: "signup_bonus", amount: 50 }]);
    const unverified = newEmail("social-unverified");
    await context.internalAdapter.createUser({ email: unverified, name: "Unverified", emailVerified: false }, source);
    expect(await starterEntries(server, unverified)).toEqual([]);
  });
});

describe("origins", () => {
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  let server: TestServer;
  // No APP_URL: the server answers on every address `npm start` announces for PORT.
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false, env: { APP_URL: "", PORT: String(port) } });
  });
  afterAll(() => server?.close());

  it("accepts sign-up and sign-in from 127.0.0.1 when APP_URL is unset", async () => {
    const origin = `http://127.0.0.1:${port}`;
    const email = newEmail("loopback");
    const signUp = await post(
      server.baseUrl,
      "/api/auth/sign-up/email",
      { name: "Loopback", email, password: testPassword },
      { origin },
    );
    expect(signUp.status).toBe(200);
    const signIn = await post(server.baseUrl, "/api/auth/sign-in/email", { email, password: testPassword }, { origin });
    expect(signIn.status).toBe(200);
    const cookie = sessionCookie(signIn);
    expect((await me(server, cookie)).status).toBe(200);
    expect((await post(server.baseUrl, "/api/auth/sign-out", {}, { origin, cookie })).status).toBe(200);
  });

  it("says clearly that a foreign origin is refused, in the user's language", async () => {
    const email = newEmail("foreign");
    const body = { name: "Foreign", email, password: testPassword };
    const refused = await post(server.baseUrl, "/api/auth/sign-up/email", body, { origin: "https://evil.example" });
    expect(refused.status).toBe(403);
    const appUrl = `http://localhost:${port}`;
    expect((await refused.json()).error).toEqual({
      code: "origin_not_allowed",
      message: en.errors.origin_not_allowed.replace("{appUrl}", appUrl),
    });
    const german = await post(
      server.baseUrl,
      "/api/auth/sign-in/email",
      { email, password: testPassword },
      {
        origin: `http://127.0.0.1:${port + 1}`,
        "accept-language": "de-DE",
      },
    );
    expect(german.status).toBe(403);
    expect((await german.json()).error).toEqual({
      code: "origin_not_allowed",
      message: de.errors.origin_not_allowed.replace("{appUrl}", appUrl),
    });
    expect(await server.rt.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });
});
