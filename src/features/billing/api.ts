import { createRoute, z } from "@hono/zod-openapi";
import type { Hono } from "hono";
import type { ApiApp } from "@/server/http/api-v1";
import { requireCtx } from "@/server/http/require-ctx";
import { errorResponses } from "@/server/http/schemas";
import type { ApiEnv } from "@/server/http/types";
import type { Core } from "@/features/core";
import { systemCtx } from "@/server/context";
import { grantCreditsByHand, grantCreditsInput, listAdminAdjustments } from "./server/admin-credits";
import { getBillingOverview, listPrices } from "./server/billing-overview";
import { checkoutInput, createCheckoutSession, createPortalSession } from "./server/checkout";
import { handleStripeWebhook } from "./server/handle-webhook";

const Limits = z.object({
  maxSide: z.number().int(),
  concurrentJobs: z.number().int(),
  retentionDays: z.number().int(),
});
const PriceList = {
  payments: z.object({
    enabled: z.boolean().openapi({ description: "False without Stripe keys: buying is off, admins grant credits" }),
  }),
  currency: z.string(),
  plans: z.array(
    z.object({
      id: z.string(),
      priceCents: z.number().int(),
      monthlyCredits: z.number().int(),
      unlimited: z.boolean().openapi({ description: "Unlimited with a fair-use cap: monthlyCredits is the cap" }),
      limits: Limits,
    }),
  ),
  packs: z.array(z.object({ id: z.string(), priceCents: z.number().int(), credits: z.number().int() })),
};
const PriceListSchema = z.object(PriceList).openapi("PriceList");
const BillingSchema = z
  .object({
    ...PriceList,
    account: z.object({ id: z.uuid(), balance: z.number().int(), held: z.number().int(), debt: z.number().int() }),
    subscription: z.object({
      plan: z.string(),
      status: z.string().nullable(),
      renewsAt: z.string().nullable(),
      endsAt: z.string().nullable(),
      canManage: z.boolean(),
    }),
  })
  .openapi("Billing");
const UrlBody = { "application/json": { schema: z.object({ url: z.string() }) } };
const Errors = (codes: Record<number, string>) =>
  Object.fromEntries(Object.entries(codes).map(([status, description]) => [status, { description }]));

export function registerBillingRoutes(api: ApiApp, rt: Core) {
  api.openapi(
    createRoute({
      method: "get",
      path: "/billing/prices",
      summary: "Plans and credit packs with their prices (no sign-in needed)",
      security: [],
      responses: {
        200: { description: "The price list", content: { "application/json": { schema: PriceListSchema } } },
      },
    }),
    (c) => c.json(listPrices(rt.env), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/billing",
      summary: "Your plan, its renewal, balance and debt, and what can be bought",
      responses: {
        200: { description: "Billing overview", content: { "application/json": { schema: BillingSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => c.json(await getBillingOverview({ ctx: requireCtx(c) }), 200),
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/billing/checkout",
      summary: "Start Stripe Checkout for a credit pack (one-time) or a plan (subscription)",
      request: { body: { required: true, content: { "application/json": { schema: checkoutInput } } } },
      responses: {
        200: { description: "Send the browser to `url`", content: UrlBody },
        ...Errors({
          409: "subscription_exists: change plans in the portal",
          502: "payments_unavailable",
          503: "payments_disabled or billing_not_synced",
        }),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await createCheckoutSession({ ctx: requireCtx(c), input: c.req.valid("json") }), 200),
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/billing/portal",
      summary: "Open Stripe's Customer Portal: cards, invoices, plan changes, cancelling",
      responses: {
        200: { description: "Send the browser to `url`", content: UrlBody },
        ...Errors({ 503: "payments_disabled" }),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await createPortalSession({ ctx: requireCtx(c) }), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/admin/credits",
      summary: "Admins: the latest credits granted by hand",
      responses: {
        200: {
          description: "Newest first",
          content: {
            "application/json": {
              schema: z.object({
                adjustments: z.array(
                  z.object({
                    id: z.uuid(),
                    email: z.string(),
                    amount: z.number().int(),
                    memo: z.string(),
                    balanceAfter: z.number().int(),
                    createdAt: z.string(),
                  }),
                ),
              }),
            },
          },
        },
        ...Errors({ 403: "Not an admin" }),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ adjustments: await listAdminAdjustments({ ctx: requireCtx(c) }) }, 200),
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/admin/credits",
      summary: "Admins: grant (or correct) a user's credits by hand, with a memo",
      request: {
        headers: z.object({ "idempotency-key": z.string().min(1).max(200).optional() }),
        body: { required: true, content: { "application/json": { schema: grantCreditsInput } } },
      },
      responses: {
        200: {
          description: "The account after the grant",
          content: {
            "application/json": {
              schema: z.object({
                accountId: z.uuid(),
                email: z.string(),
                balance: z.number().int(),
                debt: z.number().int(),
              }),
            },
          },
        },
        ...Errors({ 403: "Not an admin" }),
        ...errorResponses,
      },
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), idempotencyKey: c.req.valid("header")["idempotency-key"] };
      return c.json(await grantCreditsByHand({ ctx: requireCtx(c), input }), 200);
    },
  );
}

/** POST /api/webhooks/stripe, outside /api/v1: no session, the raw body goes to the signature check untouched. */
export function registerStripeWebhook(app: Hono<ApiEnv>, rt: Core) {
  app.post("/api/webhooks/stripe", async (c) => {
    const payload = new Uint8Array(await c.req.arrayBuffer());
    const result = await handleStripeWebhook({
      ctx: systemCtx(rt.services, "stripe-webhook"),
      input: { payload, signature: c.req.header("stripe-signature") },
    });
    return c.json({ received: true, ...result }, 200);
  });
}
