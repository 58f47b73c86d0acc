import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import de from "@/messages/de.json";
import en from "@/messages/en.json";
import { identities, mailOutbox, users } from "@/server/db/schema";
import { post, sessionCookie, signUpAndIn, testPassword, userWithCookie, type TestUser } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";

const newEmail = (tag: string) => `${tag}-${randomUUID()}@example.com`;

describe("auth over HTTP", () => {
  let server: TestServer;
  let first: TestUser;

  const signUp = (email: string, password = testPassword, headers: Record<string, string> = {}) =>
    post(server.baseUrl, "/api/auth/sign-up/email", { name: "Test User", email, password }, headers);
  const signIn = (email: string, password = testPassword, headers: Record<string, string> = {}) =>
    post(server.baseUrl, "/api/auth/sign-in/email", { email, password }, headers);
  const me = (cookie?: string) => fetch(`${server.baseUrl}/api/v1/me`, { headers: cookie ? { cookie } : {} });

  /** Mail is written after the auth transaction; give it a moment to land. */
  async function mailsTo(email: string, atLeast = 1) {
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
  const linkIn = (text: string) => {
    const link = /https?:\/\/\S+/.exec(text)?.[0];
    if (!link) throw new Error(`no link in mail: ${text}`);
    return link;
  };

  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
    // The very first sign-up on this server: it becomes the admin.
    first = await signUpAndIn(server.baseUrl, newEmail("first"));
  });
  afterAll(() => server?.close());

  it("answers sign-up for a new and an already registered email alike, and keeps the old password", async () => {
    const existing = await signUpAndIn(server.baseUrl, newEmail("existing"));
    const fresh = await signUp(newEmail("fresh"));
    const duplicate = await signUp(existing.email, "an entirely different password");

    const shape = async (response: Response) => {
      const body = (await response.json()) as { token: unknown; user: Record<string, unknown> };
      return {
        status: response.status,
        setCookie: response.headers.getSetCookie(),
        headerNames: [...response.headers.keys()].filter(
          (name) => !["date", "x-request-id", "content-length"].includes(name),
        ),
        keys: Object.keys(body).sort(),
        token: body.token,
        user: Object.fromEntries(
          Object.entries(body.user).map(([key, value]) => [key, value === null ? "null" : typeof value]),
        ),
      };
    };
    const a = await shape(fresh);
    const b = await shape(duplicate);
    expect(a.status).toBe(200);
    expect(a).toEqual(b);
    expect(a.setCookie).toEqual([]);
    expect(a.token).toBeNull();
    expect(Object.keys(a.user)).toEqual(expect.arrayContaining(["id", "email", "name", "emailVerified"]));

    expect((await signIn(existing.email)).status).toBe(200);
    expect((await signIn(existing.email, "an entirely different password")).status).toBe(401);

    const mails = await mailsTo(existing.email, 2);
    expect(mails.map((m) => m.subject)).toEqual([en.emails.verify.subject, en.emails.existing.subject]);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const wrongPassword = await signIn(first.email, "not the password at all");
    const unknownEmail = await signIn(newEmail("nobody"), "not the password at all");
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    const [a, b] = [await wrongPassword.json(), await unknownEmail.json()];
    expect(a.code).toBe("INVALID_EMAIL_OR_PASSWORD");
    expect(b).toEqual(a);
  });

  it("throttles sign-in per email after 10 attempts, even with the right password", async () => {
    const victim = await signUpAndIn(server.baseUrl, newEmail("victim")); // 1 attempt
    const bystander = await signUpAndIn(server.baseUrl, newEmail("bystander"));
    for (let i = 0; i < 9; i++) expect((await signIn(victim.email, `wrong guess ${i}`)).status).toBe(401);

    const blocked = await signIn(victim.email); // the 11th, correct password
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(blocked.headers.getSetCookie().some((c) => c.includes("session_token"))).toBe(false);
    const body = await blocked.json();
    expect(body).toEqual({ error: { code: "rate_limited", message: expect.stringContaining(String(retryAfter)) } });

    // The same address in other spelling counts as the same email; the message follows the language.
    const german = await signIn(`  ${victim.email.toUpperCase()}`, testPassword, {
      "accept-language": "de-DE,de;q=0.9",
    });
    expect(german.status).toBe(429);
    const germanRetry = german.headers.get("retry-after")!;
    expect((await german.json()).error).toEqual({
      code: "rate_limited",
      message: de.errors.rate_limited.replace("{retryAfter}", germanRetry),
    });

    expect((await signIn(bystander.email)).status).toBe(200);
  });

  it("accepts only JSON where it throttles, so form posts cannot bypass the throttle", async () => {
    const user = await signUpAndIn(server.baseUrl, newEmail("form"));
    const form = (path: string, fields: Record<string, string>) =>
      fetch(server.baseUrl + path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.baseUrl },
        body: new URLSearchParams(fields),
      });
    const signInByForm = await form("/api/auth/sign-in/email", { email: user.email, password: testPassword });
    expect(signInByForm.status).toBe(415);
    expect(signInByForm.headers.getSetCookie()).toEqual([]);
    const email = newEmail("form-sign-up");
    expect((await form("/api/auth/sign-up/email", { name: "Form", email, password: testPassword })).status).toBe(415);
    expect(await server.rt.db.select().from(users).where(eq(users.email, email))).toEqual([]);
    expect((await signIn(user.email)).status).toBe(200);
  });

  it("creates a new session at each sign-in and signs out only the one used", async () => {
    const user = await signUpAndIn(server.baseUrl, newEmail("sessions"));
    const second = await signIn(user.email);
    expect(second.status).toBe(200);
    const other = sessionCookie(second);
    expect(other).not.toBe(user.cookie);
    expect((await me(user.cookie)).status).toBe(200);
    expect((await me(other)).status).toBe(200);

    // Sign-out is a cookie-authenticated POST: another site (or no origin at all) may not do it.
    const forged = await post(
      server.baseUrl,
      "/api/auth/sign-out",
      {},
      { cookie: user.cookie, origin: "https://evil.example" },
    );
    expect(forged.status).toBe(403);
    const headers = { "content-type": "application/json", cookie: user.cookie };
    const anonymous = await fetch(`${server.baseUrl}/api/auth/sign-out`, { method: "POST", headers, body: "{}" });
    expect(anonymous.status).toBe(403);
    expect((await me(user.cookie)).status).toBe(200);

    const signOut = await post(server.baseUrl, "/api/auth/sign-out", {}, { cookie: user.cookie });
    expect(signOut.status).toBe(200);
    const gone = await me(user.cookie);
    expect(gone.status).toBe(401);
    expect((await gone.json()).error.code).toBe("unauthorized");
    expect((await me(other)).status).toBe(200);
  });

  it("accepts passwords of 8 to 128 characters only", async () => {
    const short = newEmail("short");
    const long = newEmail("long");
    const tooShort = await signUp(short, "x".repeat(7));
    expect(tooShort.status).toBe(400);
    expect((await tooShort.json()).code).toBe("PASSWORD_TOO_SHORT");
    const tooLong = await signUp(long, "y".repeat(129));
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).code).toBe("PASSWORD_TOO_LONG");
    for (const email of [short, long]) {
      expect(await server.rt.db.select().from(users).where(eq(users.email, email))).toEqual([]);
    }

    const maxEmail = newEmail("max");
    const max = "z".repeat(127) + "!";
    expect((await signUp(maxEmail, max)).status).toBe(200);
    expect((await signIn(maxEmail, max)).status).toBe(200);
    expect((await signIn(maxEmail, max.slice(0, 127))).status).toBe(401);
  });

  it("stores passwords as argon2id with at least 19 MiB and 2 iterations", async () => {
    const [row] = await server.rt.db
      .select({ password: identities.password, providerId: identities.providerId })
      .from(identities)
      .innerJoin(users, eq(users.id, identities.userId))
      .where(eq(users.email, first.email));
    expect(row?.providerId).toBe("credential");
    expect(row?.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.password).not.toContain(testPassword);
  });

  it("makes the first user admin and nobody else, even when asked to", async () => {
    expect((await first.json("/api/v1/admin/outbox")).status).toBe(200);
    const email = newEmail("sneaky");
    await post(server.baseUrl, "/api/auth/sign-up/email", {
      name: "Sneaky",
      email,
      password: testPassword,
      role: "admin",
    });
    const sneaky = userWithCookie(server.baseUrl, email, sessionCookie(await signIn(email)));
    const outbox = await sneaky.json<{ error: { code: string } }>("/api/v1/admin/outbox");
    expect(outbox.status).toBe(403);
    expect(outbox.body.error.code).toBe("forbidden");
    expect((await sneaky.json<{ user: { role: string } }>("/api/v1/me")).body.user.role).toBe("user");
  });

  it("resets a password by mail and revokes existing sessions", async () => {
    const user = await signUpAndIn(server.baseUrl, newEmail("reset"));
    const unknown = newEmail("unknown");
    const ask = (email: string) =>
      post(server.baseUrl, "/api/auth/request-password-reset", { email, redirectTo: "/reset-password" });
    // A reset link that redirects elsewhere would hand the token to that site: refused, no mail.
    const elsewhere = await post(server.baseUrl, "/api/auth/request-password-reset", {
      email: user.email,
      redirectTo: "https://evil.example/steal",
    });
    expect(elsewhere.status).toBe(403);
    expect((await mailsTo(user.email)).map((m) => m.subject)).toEqual([en.emails.verify.subject]);

    const [known, stranger] = [await ask(user.email), await ask(unknown)];
    expect(known.status).toBe(200);
    expect(stranger.status).toBe(known.status);
    expect(await stranger.json()).toEqual(await known.json());
    expect(await mailsTo(unknown, 0)).toEqual([]);

    const mail = (await mailsTo(user.email, 2)).find((m) => m.subject === en.emails.reset.subject);
    const link = linkIn(mail!.text);
    expect(link.startsWith(`${server.baseUrl}/api/auth/reset-password/`)).toBe(true);
    const followed = await fetch(link, { redirect: "manual" });
    expect(followed.status).toBe(302);
    const location = new URL(followed.headers.get("location")!, server.baseUrl);
    expect(location.pathname).toBe("/reset-password");
    const token = location.searchParams.get("token");
    expect(token).toBeTruthy();

    const newPassword = "a brand new password";
    const reset = await post(server.baseUrl, "/api/auth/reset-password", { newPassword, token });
    expect(reset.status).toBe(200);
    expect((await signIn(user.email, newPassword)).status).toBe(200);
    expect((await signIn(user.email, testPassword)).status).toBe(401);
    expect((await me(user.cookie)).status).toBe(401);
    // A reset token works once.
    const again = await post(server.baseUrl, "/api/auth/reset-password", {
      newPassword: "yet another password",
      token,
    });
    expect(again.status).toBe(400);
    expect((await signIn(user.email, newPassword)).status).toBe(200);
  });

  it("verifies the email through the link in the sign-up mail", async () => {
    const user = await signUpAndIn(server.baseUrl, newEmail("verify"));
    const before = await user.json<{ user: { emailVerified: boolean } }>("/api/v1/me");
    expect(before.body.user.emailVerified).toBe(false);
    const [mail] = await mailsTo(user.email);
    expect(mail?.subject).toBe(en.emails.verify.subject);
    const link = linkIn(mail!.text);
    expect(link.startsWith(`${server.baseUrl}/api/auth/verify-email?token=`)).toBe(true);
    const followed = await fetch(link, { redirect: "manual" });
    expect([200, 302]).toContain(followed.status);
    const after = await user.json<{ user: { emailVerified: boolean } }>("/api/v1/me");
    expect(after.body.user.emailVerified).toBe(true);
  });

  it("writes mail in the language of the request", async () => {
    const email = newEmail("deutsch");
    expect((await signUp(email, testPassword, { "accept-language": "de-CH, de;q=0.9, en;q=0.5" })).status).toBe(200);
    const [mail] = await mailsTo(email);
    expect(mail?.subject).toBe(de.emails.verify.subject);
    expect(mail?.text).toContain("Willkommen bei Pixelwerk!");
  });

  it("answers /me without a valid session with 401 unauthorized", async () => {
    for (const cookie of [undefined, "better-auth.session_token=forged.token"]) {
      const response = await me(cookie);
      expect(response.status).toBe(401);
      expect((await response.json()).error).toEqual({ code: "unauthorized", message: en.errors.unauthorized });
    }
  });
});

describe("ADMIN_EMAIL", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ runWorker: false, env: { ADMIN_EMAIL: "Boss@Example.com" } });
  });
  afterAll(() => server?.close());

  it("makes that email admin even when it is not the first, once the email is verified", async () => {
    const firstUser = await signUpAndIn(server.baseUrl, newEmail("first"));
    const second = await signUpAndIn(server.baseUrl, newEmail("second"));
    const boss = await signUpAndIn(server.baseUrl, "boss@example.com");
    expect((await firstUser.json("/api/v1/admin/outbox")).status).toBe(200);
    expect((await second.json("/api/v1/admin/outbox")).status).toBe(403);
    // Whoever signs up with ADMIN_EMAIL first is not admin until they prove they own it.
    expect((await boss.json("/api/v1/admin/outbox")).status).toBe(403);
    const deadline = Date.now() + 5_000;
    let mail: { text: string } | undefined;
    while (!mail && Date.now() < deadline) {
      [mail] = await server.rt.db.select().from(mailOutbox).where(eq(mailOutbox.to, "boss@example.com"));
      if (!mail) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const link = /https?:\/\/\S+/.exec(mail!.text)![0];
    expect([200, 302]).toContain((await fetch(link, { redirect: "manual" })).status);
    expect((await boss.json("/api/v1/admin/outbox")).status).toBe(200);
    expect((await boss.json<{ user: { role: string } }>("/api/v1/me")).body.user.role).toBe("admin");
  });
});
