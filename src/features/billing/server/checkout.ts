import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { packs, plans } from "@/catalog/pricing";
import { requireAccountId, requireUserId, type Ctx } from "@/server/context";
import { billingCustomers, users } from "@/server/db/schema";
import { AppError, isAppError } from "@/server/errors";
import { findCatalogItem, findPriceId } from "./stripe-catalog";
import { requireStripe, type StripeCheckoutCreateParams } from "./stripe-client";
import { hasLiveSubscription } from "./subscriptions";

const paidPlanIds = plans.filter((plan) => plan.priceCents > 0).map((plan) => plan.id) as [string, ...string[]];
const packIds = packs.map((pack) => pack.id) as [string, ...string[]];

export const checkoutInput = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("pack"), id: z.enum(packIds) }),
  z.strictObject({ kind: z.literal("plan"), id: z.enum(paidPlanIds) }),
]);
export type CheckoutInput = z.infer<typeof checkoutInput>;

/** Stripe failures that are not ours to explain become one clear "payments unavailable" answer. */
async function callStripe<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError("payments_unavailable", { message: (error as Error).message, cause: error });
  }
}

/**
 * The account's Stripe customer, created once. Stripe's idempotency key makes two concurrent first
 * checkouts create one customer; the unique row keeps it for good.
 */
export async function ensureStripeCustomer({ ctx }: { ctx: Ctx }): Promise<string> {
  const stripe = requireStripe(ctx.services.env);
  const accountId = requireAccountId(ctx);
  const existing = await ctx.db.select().from(billingCustomers).where(eq(billingCustomers.accountId, accountId));
  if (existing[0]) return existing[0].stripeCustomerId;
  const [user] = await ctx.db
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, requireUserId(ctx)));
  const customer = await stripe.customers.create(
    { email: user?.email, name: user?.name, metadata: { accountId } },
    { idempotencyKey: `pixelwerk-customer-${accountId}` },
  );
  await ctx.db.insert(billingCustomers).values({ accountId, stripeCustomerId: customer.id }).onConflictDoNothing();
  const [row] = await ctx.db.select().from(billingCustomers).where(eq(billingCustomers.accountId, accountId));
  return row!.stripeCustomerId;
}

/** POST /billing/checkout: a Stripe Checkout page for a pack (payment) or a plan (subscription). */
export async function createCheckoutSession({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: CheckoutInput;
}): Promise<{ url: string }> {
  const { env } = ctx.services;
  const stripe = requireStripe(env);
  const accountId = requireAccountId(ctx);
  const item = findCatalogItem(input.kind, input.id);
  if (!item) throw new AppError("validation_failed", { fields: { id: ["unknown"] } });
  if (item.kind === "plan" && (await hasLiveSubscription({ ctx, input: { accountId } })))
    throw new AppError("subscription_exists");

  return callStripe(async () => {
    const price = await findPriceId(stripe, item);
    const customer = await ensureStripeCustomer({ ctx });
    const metadata = { accountId, kind: item.kind, item: item.id, credits: String(item.credits) };
    const params: StripeCheckoutCreateParams = {
      customer,
      client_reference_id: accountId,
      line_items: [{ price, quantity: 1 }],
      metadata,
      locale: ctx.locale,
      success_url: `${env.APP_URL}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${env.APP_URL}/billing?checkout=canceled`,
      ...(item.kind === "pack"
        ? { mode: "payment", payment_intent_data: { metadata } }
        : { mode: "subscription", subscription_data: { metadata } }),
    };
    const session = await stripe.checkout.sessions.create(params);
    if (!session.url) throw new AppError("payments_unavailable", { message: "Checkout Session without url" });
    return { url: session.url };
  });
}

/** POST /billing/portal: Stripe's Customer Portal for cards, invoices, plan changes and cancelling. */
export async function createPortalSession({ ctx }: { ctx: Ctx }): Promise<{ url: string }> {
  const { env } = ctx.services;
  const stripe = requireStripe(env);
  return callStripe(async () => {
    const customer = await ensureStripeCustomer({ ctx });
    const session = await stripe.billingPortal.sessions.create({
      customer,
      return_url: `${env.APP_URL}/billing`,
      locale: ctx.locale,
    });
    return { url: session.url };
  });
}
