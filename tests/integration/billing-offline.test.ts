import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packs, plans } from "@/catalog/pricing";
import { ledgerEntries, stripeEvents, users } from "@/server/db/schema";
import { ConfigError, parseEnv } from "@/server/env";
import { accountIdOf } from "../support/accounts";
import { jsonBody, signUpAndIn, type TestUser } from "../support/client";
import { creditState } from "../support/billing";
import { startTestServer, type TestServer } from "../support/server";

// The embedded default: no Stripe keys. Prices still show, buying is off with a reason, admins grant.
describe("billing without Stripe keys", () => {
  let server: TestServer;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
    admin = await signUpAndIn(server.baseUrl);
    user = await signUpAndIn(server.baseUrl);
    await server.rt.db.update(users).set({ role: "admin" }).where(eq(users.email, admin.email));
  });
  afterAll(() => server?.close());

  it("the price list is there, with payments off", async () => {
    const prices = await fetch(`${server.baseUrl}/api/v1/billing/prices`).then((r) => r.json());
    expect(prices.payments).toEqual({ enabled: false });
    expect(prices.plans).toHaveLength(plans.length);
    expect(prices.packs).toEqual(packs.map((p) => ({ ...p })));
    const overview = await user.json<{
      payments: { enabled: boolean };
      subscription: { plan: string; canManage: boolean };
    }>("/api/v1/billing");
    expect(overview.body).toMatchObject({
      payments: { enabled: false },
      subscription: { plan: "free", canManage: false },
    });
  });

  it("buying, the portal and the webhook answer 503 with a clear reason, in English and German", async () => {
    const en = await user.json<{ error: { code: string; message: string } }>(
      "/api/v1/billing/checkout",
      jsonBody({ kind: "pack", id: "small" }),
    );
    expect(en).toEqual({
      status: 503,
      body: {
        error: {
          code: "payments_disabled",
          message:
            "Payments are not set up on this server, so nothing can be bought here. An administrator can add credits to your account by hand.",
        },
      },
    });
    const de = await user.json<{ error: { message: string } }>("/api/v1/billing/portal", {
      method: "POST",
      headers: { "accept-language": "de" },
    });
    expect(de.status).toBe(503);
    expect(de.body.error.message).toMatch(/^Auf diesem Server sind keine Zahlungen eingerichtet/);
    const hook = await fetch(`${server.baseUrl}/api/webhooks/stripe`, {
      method: "POST",
      headers: { "stripe-signature": "t=1,v1=00" },
      body: "{}",
    });
    expect(hook.status).toBe(503);
    expect(await server.rt.db.select().from(stripeEvents)).toHaveLength(0);
  });

  it("an admin grants credits by hand: one ledger entry with the memo, once per Idempotency-Key", async () => {
    const accountId = await accountIdOf(user);
    const grant = (body: unknown, key = "grant-1") =>
      admin.json<Record<string, unknown>>("/api/v1/admin/credits", jsonBody(body, { "idempotency-key": key }));
    const first = await grant({
      email: user.email.toUpperCase(),
      amount: 200,
      memo: "Invoice 2026-11 paid by bank transfer",
    });
    expect(first).toEqual({ status: 200, body: { accountId, email: user.email, balance: 250, debt: 0 } });
    expect(
      (await grant({ email: user.email, amount: 200, memo: "Invoice 2026-11 paid by bank transfer" })).body,
    ).toMatchObject({ balance: 250 });

    const state = await creditState(server.rt.db, accountId);
    expect(state).toMatchObject({ balance: 250, entriesSum: 250 });
    const [entry] = state.entries.filter((e) => e.kind === "admin_adjustment");
    expect(entry).toMatchObject({
      amount: 200,
      referenceType: "admin",
      meta: { memo: "Invoice 2026-11 paid by bank transfer" },
    });
    const statement = await user.json<{ entries: { kind: string; meta: { memo?: string } }[] }>("/api/v1/ledger");
    expect(statement.body.entries[0]).toMatchObject({
      kind: "admin_adjustment",
      meta: { memo: "Invoice 2026-11 paid by bank transfer" },
    });

    const correction = await grant({ email: user.email, amount: -50, memo: "Granted 50 too many" }, "grant-2");
    expect(correction.body).toMatchObject({ balance: 200 });
    const list = await admin.json<{ adjustments: { email: string; amount: number; memo: string }[] }>(
      "/api/v1/admin/credits",
    );
    expect(list.body.adjustments.slice(0, 2)).toEqual([
      expect.objectContaining({ email: user.email, amount: -50, memo: "Granted 50 too many" }),
      expect.objectContaining({ email: user.email, amount: 200 }),
    ]);
  });

  it("a secret key without the webhook secret stops the start and says what to set", () => {
    const start = () =>
      parseEnv({ DATA_DIR: server.dataDir, APP_SECRET: "x".repeat(32), STRIPE_SECRET_KEY: "sk_test_123" });
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/STRIPE_WEBHOOK_SECRET must be set/);
    expect(() =>
      parseEnv({ DATA_DIR: server.dataDir, APP_SECRET: "x".repeat(32), STRIPE_API_BASE: "not a url" }),
    ).toThrow(/STRIPE_API_BASE/);
  });

  it("bad grants are 400 and change nothing; non-admins get 403", async () => {
    const accountId = await accountIdOf(user);
    const before = await creditState(server.rt.db, accountId);
    const cases: [unknown, string][] = [
      [{ email: user.email, amount: 0, memo: "nothing" }, "amount"],
      [{ email: user.email, amount: 1.5, memo: "half" }, "amount"],
      [{ email: user.email, amount: 10, memo: "" }, "memo"],
      [{ email: "nobody@example.com", amount: 10, memo: "who is this" }, "email"],
      [{ email: user.email, amount: -1_000, memo: "more than the balance" }, "amount"],
    ];
    for (const [body, field] of cases) {
      const answer = await admin.json<{ error: { code: string; fields: Record<string, string[]> } }>(
        "/api/v1/admin/credits",
        jsonBody(body),
      );
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(answer.body.error.fields)).toEqual([field]);
    }
    const forbidden = await user.json<{ error: { code: string; message: string } }>(
      "/api/v1/admin/credits",
      jsonBody({ email: user.email, amount: 1000, memo: "I deserve it" }, { "accept-language": "de" }),
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("forbidden");
    expect((await user.json("/api/v1/admin/credits")).status).toBe(403);
    const after = await creditState(server.rt.db, accountId);
    expect(after.entries.length).toBe(before.entries.length);
    expect(after.balance).toBe(before.balance);
    expect(
      await server.rt.db.select().from(ledgerEntries).where(eq(ledgerEntries.kind, "admin_adjustment")),
    ).toHaveLength(2);
  });
});
