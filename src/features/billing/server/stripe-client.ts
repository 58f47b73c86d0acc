import "server-only";
import Stripe from "stripe";
import type { Env } from "@/server/env";
import { AppError } from "@/server/errors";

/**
 * The one place that imports the Stripe SDK (ADR 0009). Everything else in billing takes the
 * client from here and uses the types re-exported below.
 */
export type StripeApi = Stripe;
export type StripeEvent = Stripe.Event;
export type StripeSubscription = Stripe.Subscription;
export type StripeInvoice = Stripe.Invoice;
export type StripeCharge = Stripe.Charge;
export type StripeDispute = Stripe.Dispute;
export type StripeCheckoutSession = Stripe.Checkout.Session;
export type StripePrice = Stripe.Price;
export type StripeCheckoutCreateParams = Stripe.Checkout.SessionCreateParams;

type StripeEnv = Pick<Env, "STRIPE_SECRET_KEY" | "STRIPE_WEBHOOK_SECRET" | "STRIPE_API_BASE">;

/** Payments are on when both keys are set (env.ts refuses a secret key without a webhook secret). */
export function paymentsEnabled(env: StripeEnv): boolean {
  return !!env.STRIPE_SECRET_KEY && !!env.STRIPE_WEBHOOK_SECRET;
}

const clients = new Map<string, Stripe>();

/** The SDK client for this configuration, or null when payments are off. */
export function stripeClient(env: StripeEnv): Stripe | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  const cacheKey = `${env.STRIPE_SECRET_KEY}\n${env.STRIPE_API_BASE ?? ""}`;
  let client = clients.get(cacheKey);
  if (!client) {
    const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : undefined;
    client = new Stripe(env.STRIPE_SECRET_KEY, {
      // The SDK pins its own API version; objects we read back (subscriptions, invoices) have that shape.
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      appInfo: { name: "Pixelwerk" },
      ...(base
        ? {
            host: base.hostname,
            port: base.port || (base.protocol === "https:" ? 443 : 80),
            protocol: base.protocol === "https:" ? "https" : "http",
          }
        : {}),
    });
    clients.set(cacheKey, client);
  }
  return client;
}

export function requireStripe(env: StripeEnv): Stripe {
  const client = paymentsEnabled(env) ? stripeClient(env) : null;
  if (!client) throw new AppError("payments_disabled");
  return client;
}

/** Stripe's documented default: events signed more than five minutes away from now are refused. */
export const webhookToleranceSeconds = 300;

/**
 * Checks the `Stripe-Signature` header over the untouched raw body with the SDK, then also refuses
 * timestamps from the future (the SDK only bounds their age), and returns the parsed event.
 */
export function verifyStripeEvent(input: {
  payload: Uint8Array;
  header: string | undefined;
  secret: string;
  nowMs?: number;
}): Stripe.Event {
  if (!input.header) throw new AppError("invalid_signature", { message: "missing Stripe-Signature header" });
  const now = input.nowMs ?? Date.now();
  const timestamp = Number(/(?:^|,)t=(\d+)/.exec(input.header)?.[1]);
  if (!Number.isFinite(timestamp) || timestamp - Math.floor(now / 1000) > webhookToleranceSeconds) {
    throw new AppError("invalid_signature", { message: "signature timestamp missing or in the future" });
  }
  try {
    return Stripe.webhooks.constructEvent(
      Buffer.from(input.payload),
      input.header,
      input.secret,
      webhookToleranceSeconds,
      undefined,
      now,
    );
  } catch (error) {
    throw new AppError("invalid_signature", { message: (error as Error).message, cause: error });
  }
}

/** A Stripe API answer that says the object does not exist (404 resource_missing). */
export function isMissingResource(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404;
}
