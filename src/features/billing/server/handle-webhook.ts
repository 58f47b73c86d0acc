import "server-only";
import { eq } from "drizzle-orm";
import type { Ctx } from "@/server/context";
import { accounts, stripeEvents, users } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { isLocale, translate } from "@/server/i18n";
import { prepareEvent } from "./prepare-event";
import { paymentsEnabled, verifyStripeEvent } from "./stripe-client";

export type WebhookOutcome = { eventId: string; type: string; outcome: "applied" | "duplicate" };

/**
 * POST /api/webhooks/stripe, with a system ctx. The signature is checked on the raw bytes first: a
 * bad one changes nothing. The event id is recorded in the same transaction as the event's effect,
 * so a repeat (in a row or at the same moment) does nothing, and a crash rolls back both.
 */
export async function handleStripeWebhook({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { payload: Uint8Array; signature: string | undefined };
}): Promise<WebhookOutcome> {
  const { env, logger } = ctx.services;
  if (!paymentsEnabled(env)) throw new AppError("payments_disabled");
  const event = verifyStripeEvent({
    payload: input.payload,
    header: input.signature,
    secret: env.STRIPE_WEBHOOK_SECRET!,
  });
  const seen = await ctx.db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
  if (seen.length > 0) return { eventId: event.id, type: event.type, outcome: "duplicate" };

  const prepared = await prepareEvent({ ctx, input: { event } });
  const applied = await ctx.db.transaction(async (tx) => {
    const recorded = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type, accountId: prepared.accountId })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    // Another delivery of the same event committed first: it did the work.
    if (recorded.length === 0) return false;
    await prepared.apply?.({ ...ctx, db: tx });
    return true;
  });
  if (applied && prepared.after?.paymentFailed) {
    // The effect is committed; a mail that fails must not make Stripe resend an applied event.
    const accountId = prepared.after.paymentFailed.accountId;
    await mailPaymentFailed({ ctx, input: { accountId } }).catch((err: unknown) =>
      logger.error({ err, eventId: event.id }, "payment-failed mail was not sent"),
    );
  }
  return { eventId: event.id, type: event.type, outcome: applied ? "applied" : "duplicate" };
}

/** Tells the account's owner that a renewal failed and where to fix it. */
async function mailPaymentFailed({ ctx, input }: { ctx: Ctx; input: { accountId: string } }) {
  const [owner] = await ctx.db
    .select({ email: users.email, locale: users.locale })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerUserId))
    .where(eq(accounts.id, input.accountId));
  if (!owner) return;
  const locale = isLocale(owner.locale) ? owner.locale : "en";
  await ctx.services.mailer.send({
    to: owner.email,
    subject: translate(locale, "emails.paymentFailed.subject"),
    text: translate(locale, "emails.paymentFailed.body", { url: `${ctx.services.env.APP_URL}/billing` }),
  });
}
