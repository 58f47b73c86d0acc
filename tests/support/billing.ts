import { eq } from "drizzle-orm";
import { readDebt } from "@/features/billing/server/debt";
import { stripeClient } from "@/features/billing/server/stripe-client";
import { syncStripeCatalog } from "@/features/billing/server/sync-catalog";
import { readLedgerTotals } from "@/features/credits/server/ledger";
import { ledgerEntries, stripeEvents } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import { deliverEvent, startFakeStripe, type FakeStripe } from "../fakes/stripe";
import type { Obj } from "../fakes/stripe-objects";
import { accountIdOf } from "./accounts";
import { randomUUID } from "node:crypto";
import { jsonBody, post, sessionCookie, testPassword, userWithCookie, type TestUser } from "./client";
import { startTestServer, type TestServer } from "./server";
import { testSystemCtx } from "./system-ctx";

export type BillingWorld = {
  server: TestServer;
  stripe: FakeStripe;
  deliver(event: Obj | string, options?: Parameters<typeof deliverEvent>[3]): ReturnType<typeof deliverEvent>;
  close(): Promise<void>;
};

/** The app with payments on, talking to the fake Stripe, with the catalog synced into it. */
export async function startBillingWorld(
  options: { runWorker?: boolean; env?: Record<string, string> } = {},
): Promise<BillingWorld> {
  const stripe = await startFakeStripe();
  const server = await startTestServer({
    runWorker: options.runWorker ?? false,
    // Many sign-ups per file: each comes from its own (documentation-range) address behind a trusted proxy.
    env: {
      TRUST_PROXY: "true",
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE: stripe.url,
      ...options.env,
    },
  });
  await syncStripeCatalog(stripeClient(server.rt.env)!);
  return {
    server,
    stripe,
    deliver: (event, opts) => deliverEvent(server.baseUrl, stripe.webhookSecret, event, opts),
    async close() {
      await server.close();
      await stripe.close();
    },
  };
}

export type Buyer = { user: TestUser; accountId: string };

let buyers = 0;

/** A new user signed in over HTTP, like signUpAndIn, from an address of its own (sign-ups are throttled per address). */
export async function newBuyer(world: BillingWorld): Promise<Buyer> {
  const { baseUrl } = world.server;
  // A /64 of its own per buyer: addresses are limited per /64, as one subscriber gets a whole one.
  const headers = { "x-forwarded-for": `2001:db8:${(++buyers).toString(16)}::1` };
  const email = `buyer-${randomUUID()}@example.com`;
  const signUp = await post(
    baseUrl,
    "/api/auth/sign-up/email",
    { name: "Buyer", email, password: testPassword },
    headers,
  );
  if (signUp.status !== 200) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const signIn = await post(baseUrl, "/api/auth/sign-in/email", { email, password: testPassword }, headers);
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const user = userWithCookie(baseUrl, email, sessionCookie(signIn));
  return { user, accountId: await accountIdOf(user) };
}

/** POST /billing/checkout and the session the fake Stripe made for it. */
export async function checkout(world: BillingWorld, buyer: Buyer, kind: "pack" | "plan", id: string) {
  const answer = await buyer.user.json<{ url: string }>("/api/v1/billing/checkout", jsonBody({ kind, id }));
  if (answer.status !== 200) throw new Error(`checkout failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  const sessionId = answer.body.url.split("/").at(-1)!;
  return { url: answer.body.url, sessionId };
}

/** Balance, held, debt and the ledger, straight from the database. */
export async function creditState(db: Db, accountId: string) {
  const ctx = testSystemCtx(db);
  const totals = await readLedgerTotals({ ctx, input: { accountId } });
  const entries = await db.select().from(ledgerEntries).where(eq(ledgerEntries.accountId, accountId));
  return {
    ...totals,
    debt: await readDebt({ ctx, input: { accountId } }),
    entries,
    count: (kind: string) => entries.filter((e) => e.kind === kind).length,
    sum: (kind: string) => entries.filter((e) => e.kind === kind).reduce((total, e) => total + e.amount, 0),
  };
}

export async function recordedEventCount(db: Db): Promise<number> {
  return (await db.select({ id: stripeEvents.id }).from(stripeEvents)).length;
}
