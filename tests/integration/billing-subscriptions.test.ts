import { readFileSync } from "node:fs";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailOutbox } from "@/server/db/schema";
import { stripeEvent } from "../fakes/stripe";
import type { Obj } from "../fakes/stripe-objects";
import {
  cancelSubscription,
  changePlan,
  payPackSession,
  payPlanSession,
  renewSubscription,
} from "../fakes/stripe-payments";
import { jsonBody, uploadBody } from "../support/client";
import { checkout, creditState, newBuyer, startBillingWorld, type BillingWorld, type Buyer } from "../support/billing";

type Overview = {
  account: { balance: number };
  subscription: {
    plan: string;
    status: string | null;
    renewsAt: string | null;
    endsAt: string | null;
    canManage: boolean;
  };
};

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe("subscriptions: plan, period and credits whatever order Stripe's events arrive in", () => {
  let world: BillingWorld;

  beforeAll(async () => {
    world = await startBillingWorld();
  });
  afterAll(() => world?.close());

  async function subscribed(plan: string): Promise<Buyer & { paid: ReturnType<typeof payPlanSession> }> {
    const buyer = await newBuyer(world);
    const { sessionId } = await checkout(world, buyer, "plan", plan);
    return { ...buyer, paid: payPlanSession(world.stripe, sessionId) };
  }

  const overview = async (buyer: Buyer) => (await buyer.user.json<Overview>("/api/v1/billing")).body;

  it("all 24 orders of subscription.created, invoice.created, invoice.paid, charge.succeeded end the same", async () => {
    const orders = permutations([
      "customer.subscription.created",
      "invoice.created",
      "invoice.paid",
      "charge.succeeded",
    ]);
    expect(orders).toHaveLength(24);
    const outcomes = [];
    for (const order of orders) {
      const buyer = await subscribed("starter");
      const { subscription, invoice, charge } = buyer.paid;
      const objects: Record<string, Obj> = {
        "customer.subscription.created": { ...subscription, status: "incomplete" }, // as Stripe sends it before payment
        "invoice.created": { ...invoice, status: "draft", amount_paid: 0 },
        "invoice.paid": invoice,
        "charge.succeeded": charge,
      };
      for (const type of order)
        expect((await world.deliver(stripeEvent(type, objects[type]!))).status, order.join(" → ")).toBe(200);
      const state = await creditState(world.server.rt.db, buyer.accountId);
      const { subscription: sub, account } = await overview(buyer);
      outcomes.push({
        plan: sub.plan,
        status: sub.status,
        renewsAt: sub.renewsAt,
        expectedRenewal: new Date(subscription.items.data[0].current_period_end * 1000).toISOString(),
        balance: account.balance,
        grants: state.count("subscription_grant"),
        consistent: state.balance === state.entriesSum,
      });
    }
    for (const outcome of outcomes) {
      expect(outcome).toEqual({
        ...outcome,
        plan: "starter",
        status: "active",
        renewsAt: outcome.expectedRenewal,
        balance: 300,
        grants: 1,
        consistent: true,
      });
    }
  });

  it("each paid renewal grants the month once; a failed one marks past_due and mails the owner", async () => {
    const buyer = await subscribed("starter");
    await world.deliver(stripeEvent("invoice.paid", buyer.paid.invoice));
    const renewal = renewSubscription(world.stripe, buyer.paid.subscription.id);
    const paidEvent = stripeEvent("invoice.paid", renewal.invoice);
    await world.deliver(paidEvent);
    await world.deliver(stripeEvent("invoice.paid", renewal.invoice)); // a second event for the same invoice
    expect((await creditState(world.server.rt.db, buyer.accountId)).count("subscription_grant")).toBe(2);
    expect((await overview(buyer)).account.balance).toBe(50 + 250 * 2);
    expect((await overview(buyer)).subscription.renewsAt).toBe(
      new Date(renewal.subscription.items.data[0].current_period_end * 1000).toISOString(),
    );

    const failed = renewSubscription(world.stripe, buyer.paid.subscription.id, "failed");
    await world.deliver(stripeEvent("invoice.payment_failed", failed.invoice));
    await world.deliver(stripeEvent("invoice.payment_failed", failed.invoice));
    const after = await overview(buyer);
    expect(after.subscription).toMatchObject({ plan: "starter", status: "past_due" });
    expect(after.account.balance).toBe(550);
    const mails = await world.server.rt.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.to, buyer.user.email))
      .orderBy(desc(mailOutbox.createdAt));
    expect(mails.filter((m) => m.subject === "Your Pixelwerk payment failed")).toHaveLength(2);
    expect(mails[0]!.text).toContain(`${world.server.baseUrl}/billing`);
  });

  it("an upgrade's prorated invoice grants the difference; cancelling ends the plan, the credits stay", async () => {
    const buyer = await subscribed("starter");
    await world.deliver(stripeEvent("invoice.paid", buyer.paid.invoice));
    const pro = [...world.stripe.store.prices.values()].find((p) => p.lookup_key === "pixelwerk_plan_pro_monthly")!;
    const upgrade = changePlan(world.stripe, buyer.paid.subscription.id, pro);
    await world.deliver(stripeEvent("invoice.paid", upgrade.invoice));
    await world.deliver(stripeEvent("customer.subscription.updated", upgrade.subscription));
    expect((await overview(buyer)).subscription.plan).toBe("pro");
    expect((await overview(buyer)).account.balance).toBe(50 + 250 + (1000 - 250));

    const canceling = cancelSubscription(world.stripe, buyer.paid.subscription.id, "period_end");
    await world.deliver(stripeEvent("customer.subscription.updated", canceling));
    const ending = (await overview(buyer)).subscription;
    expect(ending).toMatchObject({
      plan: "pro",
      renewsAt: null,
      endsAt: new Date(canceling.cancel_at * 1000).toISOString(),
      canManage: true,
    });

    const ended = cancelSubscription(world.stripe, buyer.paid.subscription.id, "now");
    await world.deliver(stripeEvent("customer.subscription.deleted", ended));
    const after = await overview(buyer);
    expect(after.subscription).toMatchObject({ plan: "free", status: null, renewsAt: null });
    expect(after.account.balance).toBe(1050);
  });

  it("plan limits: a Free account asking past 2048 px gets 403 in its language and nothing is held; a Pro plan may", async () => {
    const buyer = await newBuyer(world);
    const upload = await buyer.user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/chelsea.png"), "cat.png"),
    );
    const image = upload.body.asset.id;
    const resize = (width: number, locale = "en") =>
      buyer.user.json<{ error?: { code: string; message: string } }>(
        "/api/v1/jobs",
        jsonBody({ generator: "resize", inputs: { image, width } }, { "accept-language": locale }),
      );
    const refused = await resize(3000);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: "plan_limit_exceeded",
      message:
        "Your Free plan makes images up to 2048 px a side; this job would make one of 3000 px. Choose a smaller size or scale, or upgrade.",
      params: { limit: "maxSide", subject: "output", plan: "Free", max: 2048, requested: 3000 },
    });
    expect((await resize(3000, "de")).body.error?.message).toBe(
      "Dein Plan Free erzeugt Bilder bis 2048 px pro Seite; dieser Auftrag ergäbe 3000 px. Wähle eine kleinere Größe oder Skalierung oder wechsle den Plan.",
    );
    expect(await creditState(world.server.rt.db, buyer.accountId)).toMatchObject({
      balance: 50,
      held: 0,
      entriesSum: 50,
    });
    expect((await resize(2048)).status).toBe(202);

    const { sessionId } = await checkout(world, buyer, "plan", "pro");
    const paid = payPlanSession(world.stripe, sessionId);
    await world.deliver(stripeEvent("customer.subscription.created", paid.subscription));
    expect((await resize(3000)).status).toBe(202);
  });

  it("plan limits: a Free account has at most 100 jobs in progress; the 101st is refused with nothing held", async () => {
    const buyer = await newBuyer(world);
    const { sessionId } = await checkout(world, buyer, "pack", "small");
    await world.deliver(stripeEvent("checkout.session.completed", payPackSession(world.stripe, sessionId).session));
    const upload = await buyer.user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/chelsea.png"), "cat.png"),
    );
    const submit = (i: number) =>
      buyer.user.json<{ error?: { message: string } }>(
        "/api/v1/jobs",
        jsonBody({ generator: "resize", inputs: { image: upload.body.asset.id, width: 10 + i } }),
      );
    for (let i = 0; i < 100; i++) expect((await submit(i)).status).toBe(202); // no worker here: they all stay queued
    const refused = await submit(100);
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { message: "Your Free plan runs up to 100 jobs at once. Wait for one to finish, or upgrade." } },
    });
    expect(await creditState(world.server.rt.db, buyer.accountId)).toMatchObject({ balance: 50, held: 100 });
  });
});
