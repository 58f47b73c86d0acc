import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "@/server/db/schema";
import { stripeEvent } from "../fakes/stripe";
import { disputeCharge, payPackSession, payPlanSession, refundCharge } from "../fakes/stripe-payments";
import { jsonBody, uploadBody } from "../support/client";
import { checkout, creditState, newBuyer, startBillingWorld, type BillingWorld, type Buyer } from "../support/billing";

describe("refunds and disputes take back unspent credits; the rest is debt that blocks spending", () => {
  let world: BillingWorld;

  beforeAll(async () => {
    world = await startBillingWorld();
  });
  afterAll(() => world?.close());

  async function buyPack(buyer: Buyer, pack = "small") {
    const { sessionId } = await checkout(world, buyer, "pack", pack);
    const paid = payPackSession(world.stripe, sessionId);
    expect((await world.deliver(stripeEvent("checkout.session.completed", paid.session))).status).toBe(200);
    return paid;
  }

  async function withImage(buyer: Buyer) {
    const upload = await buyer.user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/chelsea.png"), "cat.png"),
    );
    const image = upload.body.asset.id;
    return (credits: number, locale = "en") =>
      Promise.all(
        Array.from({ length: credits }, (_, i) =>
          buyer.user.json<{ error?: { code: string; message: string } }>(
            "/api/v1/jobs",
            jsonBody({ generator: "resize", inputs: { image, width: 20 + i } }, { "accept-language": locale }),
          ),
        ),
      );
  }

  it("a 100-credit pack refunded after 30 were spent: 70 clawed back, 30 owed, spending blocked until paid", async () => {
    const buyer = await newBuyer(world);
    const spend = await withImage(buyer);
    expect((await spend(50)).every((a) => a.status === 202)).toBe(true); // the welcome credits, gone
    const { charge } = await buyPack(buyer);
    expect((await spend(30)).every((a) => a.status === 202)).toBe(true);
    expect(await creditState(world.server.rt.db, buyer.accountId)).toMatchObject({ balance: 70, held: 80, debt: 0 });

    const refunded = refundCharge(world.stripe, charge.id);
    expect((await world.deliver(stripeEvent("charge.refunded", refunded))).status).toBe(200);
    await world.deliver(stripeEvent("charge.refunded", refunded)); // another delivery of a new event id, same refund
    const state = await creditState(world.server.rt.db, buyer.accountId);
    expect(state).toMatchObject({ balance: 0, debt: 30, entriesSum: 0 });
    expect(state.entries.filter((e) => e.kind === "clawback")).toEqual([
      expect.objectContaining({
        amount: -70,
        meta: expect.objectContaining({ reversed: 100, recovered: 70, debt: 30 }),
      }),
    ]);

    // In debt: no job starts, in English or German, and nothing is written.
    const jobsBefore = (await world.server.rt.db.select().from(jobs).where(eq(jobs.accountId, buyer.accountId))).length;
    const [refused] = await spend(1);
    expect(refused).toMatchObject({
      status: 402,
      body: {
        error: {
          code: "account_in_debt",
          message:
            "After a refund your account owes 30 credits. Buy credits to settle it; until then no job can start.",
        },
      },
    });
    const [refusedDe] = await spend(1, "de");
    expect(refusedDe!.body.error?.message).toContain("schuldet dein Konto 30 Credits");
    expect((await world.server.rt.db.select().from(jobs).where(eq(jobs.accountId, buyer.accountId))).length).toBe(
      jobsBefore,
    );
    expect((await buyer.user.json<{ account: { debt: number } }>("/api/v1/billing")).body.account.debt).toBe(30);

    // New credits pay the debt first.
    await buyPack(buyer);
    const settled = await creditState(world.server.rt.db, buyer.accountId);
    expect(settled).toMatchObject({ balance: 70, debt: 0 });
    expect(settled.balance).toBe(settled.entriesSum);
    expect(settled.entries.find((e) => e.meta?.debtPaid === 30)).toMatchObject({ kind: "clawback", amount: -30 });
    expect((await spend(1))[0]!.status).toBe(202);
  });

  it("partial refund, then a dispute of the rest, then repeats: taken back in proportion, never twice", async () => {
    const buyer = await newBuyer(world);
    const { charge } = await buyPack(buyer, "medium"); // 500 credits for 2000 cents
    await world.deliver(stripeEvent("charge.refunded", refundCharge(world.stripe, charge.id, 500)));
    expect(await creditState(world.server.rt.db, buyer.accountId)).toMatchObject({ balance: 550 - 125, debt: 0 });
    const dispute = disputeCharge(world.stripe, charge.id);
    await world.deliver(stripeEvent("charge.dispute.created", dispute));
    await world.deliver(stripeEvent("charge.dispute.created", dispute));
    await world.deliver(stripeEvent("charge.refunded", refundCharge(world.stripe, charge.id, 0)));
    const state = await creditState(world.server.rt.db, buyer.accountId);
    expect(state).toMatchObject({ balance: 50, debt: 0, entriesSum: 50 });
    expect(state.sum("clawback")).toBe(-500);
  });

  it("a refund that arrives before the payment's own event still takes the credits back", async () => {
    const buyer = await newBuyer(world);
    const { sessionId } = await checkout(world, buyer, "pack", "small");
    const paid = payPackSession(world.stripe, sessionId);
    await world.deliver(stripeEvent("charge.refunded", refundCharge(world.stripe, paid.charge.id)));
    expect(await creditState(world.server.rt.db, buyer.accountId)).toMatchObject({ balance: 50, debt: 0 });
    await world.deliver(stripeEvent("checkout.session.completed", paid.session));
    const state = await creditState(world.server.rt.db, buyer.accountId);
    expect(state).toMatchObject({ balance: 50, debt: 0, entriesSum: 50 });
    expect([state.count("purchase"), state.count("clawback")]).toEqual([1, 1]);
  });

  it("a refunded plan invoice takes its month's credits back (found through Stripe's invoice payments)", async () => {
    const buyer = await newBuyer(world);
    const { sessionId } = await checkout(world, buyer, "plan", "starter");
    const paid = payPlanSession(world.stripe, sessionId);
    await world.deliver(stripeEvent("invoice.paid", paid.invoice));
    expect((await creditState(world.server.rt.db, buyer.accountId)).balance).toBe(300);
    await world.deliver(stripeEvent("charge.refunded", refundCharge(world.stripe, paid.charge.id)));
    const state = await creditState(world.server.rt.db, buyer.accountId);
    expect(state).toMatchObject({ balance: 50, debt: 0 });
    expect(world.stripe.calls("GET", "/v1/invoice_payments").at(-1)).toMatchObject({
      payment: { type: "payment_intent", payment_intent: paid.charge.payment_intent },
    });
  });
});
