import "server-only";
import { eq } from "drizzle-orm";
import { accounts, stripeEvents, users } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import type { Env } from "@/server/env";
import { AppError } from "@/server/errors";
import { isLocale, translate } from "@/server/i18n";
import type { Mailer } from "@/server/mail/mailer";
import { prepareEvent } from "./prepare-event";
import { paymentsEnabled, requireStripe, verifyStripeEvent } from "./stripe-client";

export type WebhookOutcome = { eventId: string; type: string; outcome: "applied" | "duplicate" };

/**
 * POST /api/webhooks/stripe. The signature is checked on the raw bytes first: a bad one changes
 * nothing. The event id is recorded in the same transaction as the event's effect, so a repeat
 * (in a row or at the same moment) does nothing, and a crash rolls back both.
 */
export async function handleStripeWebhook({
  db,
  env,
  mailer,
  payload,
  signature,
  log,
}: {
  db: Db;
  env: Env;
  mailer: Mailer;
  payload: Uint8Array;
  signature: string | undefined;
  log: (msg: string, extra: object) => void;
}): Promise<WebhookOutcome> {
  if (!paymentsEnabled(env)) throw new AppError("payments_disabled");
  const event = verifyStripeEvent({ payload, header: signature, secret: env.STRIPE_WEBHOOK_SECRET! });
  const seen = await db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
  if (seen.length > 0) return { eventId: event.id, type: event.type, outcome: "duplicate" };

  const prepared = await prepareEvent({ db, stripe: requireStripe(env) }, event);
  const applied = await db.transaction(async (tx) => {
    const recorded = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type, accountId: prepared.accountId })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    // Another delivery of the same event committed first: it did the work.
    if (recorded.length === 0) return false;
    await prepared.apply?.(tx);
    return true;
  });
  if (applied && prepared.after?.paymentFailed) {
    // The effect is committed; a mail that fails must not make Stripe resend an applied event.
    await mailPaymentFailed(db, env, mailer, prepared.after.paymentFailed.accountId).catch((err: unknown) =>
      log("payment-failed mail was not sent", { err, eventId: event.id }),
    );
  }
  return { eventId: event.id, type: event.type, outcome: applied ? "applied" : "duplicate" };
}

/** Tells the account's owner that a renewal failed and where to fix it. */
async function mailPaymentFailed(db: Db, env: Env, mailer: Mailer, accountId: string) {
  const [owner] = await db
    .select({ email: users.email, locale: users.locale })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerUserId))
    .where(eq(accounts.id, accountId));
  if (!owner) return;
  const locale = isLocale(owner.locale) ? owner.locale : "en";
  await mailer.send({
    to: owner.email,
    subject: translate(locale, "emails.paymentFailed.subject"),
    text: translate(locale, "emails.paymentFailed.body", { url: `${env.APP_URL}/billing` }),
  });
}
