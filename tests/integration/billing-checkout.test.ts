import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packs, plans } from "@/catalog/pricing";
import { lookupKeyOf } from "@/features/billing/server/stripe-catalog";
import { billingCustomers } from "@/server/db/schema";
import { jsonBody } from "../support/client";
import { checkout, newBuyer, startBillingWorld, type BillingWorld } from "../support/billing";
import { payPlanSession } from "../fakes/stripe-payments";
import { stripeEvent } from "../fakes/stripe";

describe("checkout and portal sessions, as the Stripe API receives them", () => {
  let world: BillingWorld;

  beforeAll(async () => {
    world = await startBillingWorld();
  });
  afterAll(() => world?.close());

  const priceIdOf = (key: string) =>
    [...world.stripe.store.prices.values()].find((p) => p.lookup_key === key && p.active)!.id as string;

  it("a pack: payment mode, the pack's price, the account's customer and metadata", async () => {
    const buyer = await newBuyer(world);
    const { url, sessionId } = await checkout(world, buyer, "pack", "medium");
    expect(url).toBe(`https://checkout.stripe.com/c/pay/${sessionId}`);

    const [customer] = world.stripe
      .calls("POST", "/v1/customers")
      .filter((c) => c.metadata?.accountId === buyer.accountId);
    expect(customer).toMatchObject({ email: buyer.user.email, metadata: { accountId: buyer.accountId } });
    const sent = world.stripe.calls("POST", "/v1/checkout/sessions").at(-1)!;
    const [row] = await world.server.rt.db
      .select()
      .from(billingCustomers)
      .where(eq(billingCustomers.accountId, buyer.accountId));
    const medium = packs.find((p) => p.id === "medium")!;
    expect(sent).toMatchObject({
      mode: "payment",
      customer: row!.stripeCustomerId,
      client_reference_id: buyer.accountId,
      line_items: [{ price: priceIdOf(lookupKeyOf({ kind: "pack", id: "medium" })), quantity: "1" }],
      metadata: { accountId: buyer.accountId, kind: "pack", item: "medium", credits: String(medium.credits) },
      payment_intent_data: { metadata: { accountId: buyer.accountId, kind: "pack", item: "medium" } },
      success_url: `${world.server.baseUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${world.server.baseUrl}/billing?checkout=canceled`,
    });
    expect(sent.subscription_data).toBeUndefined();
    expect(world.stripe.store.sessions.get(sessionId)!.amount_total).toBe(medium.priceCents);
  });

  it("a plan: subscription mode with the plan's monthly price and the account in the subscription's metadata", async () => {
    const buyer = await newBuyer(world);
    await checkout(world, buyer, "plan", "pro");
    const sent = world.stripe.calls("POST", "/v1/checkout/sessions").at(-1)!;
    expect(sent).toMatchObject({
      mode: "subscription",
      line_items: [{ price: priceIdOf(lookupKeyOf({ kind: "plan", id: "pro" })), quantity: "1" }],
      subscription_data: { metadata: { accountId: buyer.accountId, kind: "plan", item: "pro" } },
      metadata: {
        accountId: buyer.accountId,
        kind: "plan",
        item: "pro",
        credits: String(plans.find((p) => p.id === "pro")!.monthlyCredits),
      },
    });
    expect(sent.payment_intent_data).toBeUndefined();
    const price = world.stripe.store.prices.get(sent.line_items[0].price)!;
    expect(price).toMatchObject({ unit_amount: 2900, currency: "usd", recurring: { interval: "month" } });
  });

  it("creates the Stripe customer once per account, even for checkouts at the same moment", async () => {
    const buyer = await newBuyer(world);
    const answers = await Promise.all(
      ["small", "medium", "large", "small", "medium"].map((id) =>
        buyer.user.json("/api/v1/billing/checkout", jsonBody({ kind: "pack", id })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    await checkout(world, buyer, "pack", "small");
    const created = world.stripe.store.customers.size;
    const mine = [...world.stripe.store.customers.values()].filter((c) => c.metadata.accountId === buyer.accountId);
    expect(mine).toHaveLength(1);
    const sessions = world.stripe.calls("POST", "/v1/checkout/sessions").slice(-6);
    expect(new Set(sessions.map((s) => s.customer))).toEqual(new Set([mine[0]!.id]));
    expect(world.stripe.store.customers.size).toBe(created);
  });

  it("the portal opens for the account's customer and returns to the billing page", async () => {
    const buyer = await newBuyer(world);
    await checkout(world, buyer, "pack", "small");
    const answer = await buyer.user.json<{ url: string }>("/api/v1/billing/portal", { method: "POST" });
    expect(answer.status).toBe(200);
    const sent = world.stripe.calls("POST", "/v1/billing_portal/sessions").at(-1)!;
    const [row] = await world.server.rt.db
      .select()
      .from(billingCustomers)
      .where(eq(billingCustomers.accountId, buyer.accountId));
    expect(sent).toEqual({
      customer: row!.stripeCustomerId,
      return_url: `${world.server.baseUrl}/billing`,
      locale: "en",
    });
    expect(answer.body.url).toBe(world.stripe.store.portalSessions.at(-1)!.url);
  });

  it("bad input: 400 with the reason in English and German, nothing sent to Stripe", async () => {
    const buyer = await newBuyer(world);
    const before = world.stripe.requests.length;
    for (const body of [
      { kind: "pack", id: "huge" },
      { kind: "plan", id: "free" },
      { kind: "coins", id: "small" },
      { kind: "pack" },
      { kind: "pack", id: "small", extra: 1 },
    ]) {
      const en = await buyer.user.json<{ error: { code: string; message: string } }>(
        "/api/v1/billing/checkout",
        jsonBody(body),
      );
      expect(en.status, JSON.stringify(body)).toBe(400);
      expect(en.body.error).toMatchObject({ code: "validation_failed", message: "Some fields are not valid." });
    }
    const de = await buyer.user.json<{ error: { message: string } }>(
      "/api/v1/billing/checkout",
      jsonBody({ kind: "pack", id: "huge" }, { "accept-language": "de" }),
    );
    expect(de.body.error.message).toBe("Einige Felder sind ungültig.");
    expect(world.stripe.requests.length).toBe(before);
  });

  it("a second plan while one is live: 409 pointing to the portal, no new session", async () => {
    const buyer = await newBuyer(world);
    const { sessionId } = await checkout(world, buyer, "plan", "starter");
    const paid = payPlanSession(world.stripe, sessionId);
    expect((await world.deliver(stripeEvent("customer.subscription.created", paid.subscription))).status).toBe(200);
    const sessionsBefore = world.stripe.calls("POST", "/v1/checkout/sessions").length;
    const again = await buyer.user.json<{ error: { code: string; message: string } }>(
      "/api/v1/billing/checkout",
      jsonBody({ kind: "plan", id: "pro" }, { "accept-language": "de" }),
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("subscription_exists");
    expect(again.body.error.message).toContain("Abo verwalten");
    expect(world.stripe.calls("POST", "/v1/checkout/sessions").length).toBe(sessionsBefore);
    // Packs stay available beside a plan.
    expect((await buyer.user.json("/api/v1/billing/checkout", jsonBody({ kind: "pack", id: "small" }))).status).toBe(
      200,
    );
  });

  it("GET /billing tells plan, balance and prices; without a session it is 401", async () => {
    const buyer = await newBuyer(world);
    const answer = await buyer.user.json<Record<string, unknown>>("/api/v1/billing");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      payments: { enabled: true },
      currency: "usd",
      account: { id: buyer.accountId, balance: 50, held: 0, debt: 0 },
      subscription: { plan: "free", status: null, renewsAt: null, canManage: false },
    });
    expect((answer.body.packs as unknown[]).length).toBe(packs.length);
    expect((await fetch(`${world.server.baseUrl}/api/v1/billing`)).status).toBe(401);
    const prices = await fetch(`${world.server.baseUrl}/api/v1/billing/prices`).then((r) => r.json());
    expect(prices.plans.map((p: { id: string }) => p.id)).toEqual(["free", "starter", "pro", "business"]);
    const openapi = await fetch(`${world.server.baseUrl}/api/v1/openapi.json`).then((r) => r.json());
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(["/billing", "/billing/prices", "/billing/checkout", "/billing/portal", "/admin/credits"]),
    );
  });
});
