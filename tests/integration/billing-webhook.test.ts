import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingPayments } from "@/server/db/schema";
import { eq } from "drizzle-orm";
import { stripeEvent } from "../fakes/stripe";
import { payPackSession, payPlanSession } from "../fakes/stripe-payments";
import {
  checkout,
  creditState,
  newBuyer,
  recordedEventCount,
  startBillingWorld,
  type BillingWorld,
  type Buyer,
} from "../support/billing";

describe("POST /api/webhooks/stripe: signed, recorded once, applied once", () => {
  let world: BillingWorld;

  beforeAll(async () => {
    world = await startBillingWorld();
  });
  afterAll(() => world?.close());

  /** A buyer whose 100-credit pack was paid at Stripe; the event is not delivered yet. */
  async function paidPack(): Promise<Buyer & { event: Record<string, unknown> }> {
    const buyer = await newBuyer(world);
    const { sessionId } = await checkout(world, buyer, "pack", "small");
    const { session } = payPackSession(world.stripe, sessionId);
    return { ...buyer, event: stripeEvent("checkout.session.completed", session) };
  }

  const seconds = () => Math.floor(Date.now() / 1000);

  it("refuses a bad signature, a changed byte, a missing header and timestamps past the 300 s tolerance: 400, nothing written", async () => {
    const { accountId, event } = await paidPack();
    const payload = JSON.stringify(event, null, 2);
    const sign = (timestamp: number, secret = world.stripe.webhookSecret) =>
      Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
    const changedByte = payload.replace('"amount_total": 500', '"amount_total": 600');
    expect(changedByte).not.toBe(payload);

    const attempts = {
      "wrong secret": world.deliver(payload, { header: sign(seconds(), "whsec_someone_else") }),
      "a changed byte": world.deliver(payload, { header: sign(seconds()), body: changedByte }),
      "no header": world.deliver(payload, { header: null }),
      "garbage header": world.deliver(payload, { header: "t=abc,v1=00" }),
      // 20 s past the tolerance: a slow machine may check the "ahead" one seconds after signing.
      "320 s old": world.deliver(payload, { header: sign(seconds() - 320) }),
      "320 s ahead": world.deliver(payload, { header: sign(seconds() + 320) }),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      const answer = await attempt;
      expect(answer.status, name).toBe(400);
      expect(answer.body, name).toMatchObject({
        error: { code: "invalid_signature", message: "The webhook signature is missing, wrong or too old." },
      });
    }
    expect(await recordedEventCount(world.server.rt.db)).toBe(0);
    expect(await creditState(world.server.rt.db, accountId)).toMatchObject({ balance: 50, entriesSum: 50, debt: 0 });
    const rows = await world.server.rt.db
      .select()
      .from(billingPayments)
      .where(eq(billingPayments.accountId, accountId));
    expect(rows).toHaveLength(0);

    const late = await world.deliver(payload, { header: sign(seconds() - 299) });
    expect(late).toMatchObject({
      status: 200,
      body: { received: true, outcome: "applied", type: "checkout.session.completed" },
    });
    const state = await creditState(world.server.rt.db, accountId);
    expect(state).toMatchObject({ balance: 150, entriesSum: 150 });
    expect(state.count("purchase")).toBe(1);
  });

  it("the same event 10 times in a row and 10 times at once: credited once", async () => {
    const inRow = await paidPack();
    let started = performance.now();
    const sequential = [];
    for (let i = 0; i < 10; i++) sequential.push(await world.deliver(inRow.event));
    const sequentialMs = performance.now() - started;
    expect(sequential.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(sequential.map((a) => a.body.outcome)).toEqual(["applied", ...Array(9).fill("duplicate")]);

    const atOnce = await paidPack();
    started = performance.now();
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => world.deliver(atOnce.event)));
    const concurrentMs = performance.now() - started;
    expect(concurrent.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(concurrent.filter((a) => a.body.outcome === "applied")).toHaveLength(1);

    for (const { accountId } of [inRow, atOnce]) {
      const state = await creditState(world.server.rt.db, accountId);
      expect(state).toMatchObject({ balance: 150, entriesSum: 150 });
      expect(state.count("purchase")).toBe(1);
    }
    console.info(`10 deliveries in a row: ${sequentialMs.toFixed(0)} ms; 10 at once: ${concurrentMs.toFixed(0)} ms`);
  });

  it("a delayed payment method: nothing until async_payment_succeeded, then the pack once; a failed one never", async () => {
    const buyer = await newBuyer(world);
    const { sessionId } = await checkout(world, buyer, "pack", "medium");
    const { session } = payPackSession(world.stripe, sessionId, "unpaid");
    expect((await world.deliver(stripeEvent("checkout.session.completed", session))).status).toBe(200);
    expect(await creditState(world.server.rt.db, buyer.accountId)).toMatchObject({ balance: 50 });
    const [pending] = await world.server.rt.db
      .select()
      .from(billingPayments)
      .where(eq(billingPayments.stripeObjectId, sessionId));
    expect(pending).toMatchObject({ status: "pending", credits: 0, kind: "pack", itemId: "medium" });

    const succeeded = stripeEvent("checkout.session.async_payment_succeeded", { ...session, payment_status: "paid" });
    await world.deliver(succeeded);
    await world.deliver(succeeded);
    // A late copy of "completed" (paid this time) is another event for the same session: still once.
    await world.deliver(stripeEvent("checkout.session.completed", { ...session, payment_status: "paid" }));
    const state = await creditState(world.server.rt.db, buyer.accountId);
    expect(state).toMatchObject({ balance: 550, entriesSum: 550 });
    expect(state.count("purchase")).toBe(1);

    const other = await newBuyer(world);
    const failedSession = payPackSession(
      world.stripe,
      (await checkout(world, other, "pack", "large")).sessionId,
      "unpaid",
    ).session;
    await world.deliver(stripeEvent("checkout.session.completed", failedSession));
    await world.deliver(stripeEvent("checkout.session.async_payment_failed", failedSession));
    expect(await creditState(world.server.rt.db, other.accountId)).toMatchObject({ balance: 50, entriesSum: 50 });
    const [failed] = await world.server.rt.db
      .select()
      .from(billingPayments)
      .where(eq(billingPayments.stripeObjectId, failedSession.id));
    expect(failed!.status).toBe("failed");
  });

  it("when Stripe cannot be read the event is not recorded (500, Stripe retries); the retry applies it", async () => {
    const buyer = await newBuyer(world);
    const { sessionId } = await checkout(world, buyer, "plan", "starter");
    const paid = payPlanSession(world.stripe, sessionId);
    const stored = world.stripe.store.subscriptions.get(paid.subscription.id)!;
    world.stripe.store.subscriptions.delete(paid.subscription.id);
    const event = stripeEvent("customer.subscription.created", paid.subscription);
    const before = await recordedEventCount(world.server.rt.db);
    expect((await world.deliver(event)).status).toBe(500);
    expect(await recordedEventCount(world.server.rt.db)).toBe(before);

    world.stripe.store.subscriptions.set(stored.id, stored);
    expect(await world.deliver(event)).toMatchObject({ status: 200, body: { outcome: "applied" } });
    const overview = await buyer.user.json<{ subscription: { plan: string } }>("/api/v1/billing");
    expect(overview.body.subscription.plan).toBe("starter");
  });

  it("events it does not handle are acknowledged and change nothing", async () => {
    const buyer = await newBuyer(world);
    const answer = await world.deliver(
      stripeEvent("customer.updated", { id: "cus_x", object: "customer", metadata: { accountId: buyer.accountId } }),
    );
    expect(answer).toMatchObject({ status: 200, body: { outcome: "applied", type: "customer.updated" } });
    expect(await creditState(world.server.rt.db, buyer.accountId)).toMatchObject({ balance: 50, entriesSum: 50 });
  });
});
