import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { stripeClient } from "@/features/billing/server/stripe-client";
import { syncStripeCatalog } from "@/features/billing/server/sync-catalog";
import { deliverEvent, startFakeStripe, stripeEvent, type FakeStripe } from "../fakes/stripe";
import { payPackSession, payPlanSession } from "../fakes/stripe-payments";
import { startAppServer } from "./app-server";
import { inContext, noHorizontalScroll, shot, signUp, translator, type Env } from "./steps";

// Billing in a real browser against `next start`, with Stripe played by the loopback fake: the
// public pricing page, buying a pack and a plan (Stripe's hosted pages are stubbed in the browser;
// the fake makes what Stripe would and the test delivers the signed webhooks), the billing page
// telling the story, the portal, and both pages at phone width. Then the same pages with payments off.

const t = translator("en");
const coffee = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/images/coffee.png");
const money = (cents: number) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "usd" }).format(cents / 100);

let stripe: FakeStripe;
const env = {} as Env;
const offline = {} as Env;

test.beforeAll(async ({ browser }) => {
  stripe = await startFakeStripe();
  const keys = {
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_BASE: stripe.url,
  };
  await syncStripeCatalog(stripeClient(keys)!);
  [env.server, offline.server] = await Promise.all([startAppServer({ env: keys }), startAppServer()]);
  env.browser = browser;
  offline.browser = browser;
});

test.afterAll(async () => {
  await Promise.all([env.server?.stop(), offline.server?.stop()]);
  await stripe?.close();
});

/** Stripe's hosted pages are not reachable here: the browser gets a stand-in page at the same URL. */
async function stubStripePages(page: Page) {
  await page.route(/^https:\/\/(checkout|billing)\.stripe\.com\//, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<title>Stripe</title><h1>Stripe</h1>" }),
  );
}

const lastSession = () => [...stripe.store.sessions.keys()].at(-1)!;

test.describe("billing", () => {
  test("pricing, buying a pack and a plan, the statement and the portal", async () => {
    await inContext(env, "billing", async (page) => {
      await stubStripePages(page);
      await page.goto("/pricing");
      await page.getByRole("heading", { name: t("billing.pricingTitle") }).waitFor();
      for (const plan of ["free", "starter", "pro", "business"]) await page.getByTestId(`plan-${plan}`).waitFor();
      await page.getByTestId("pack-small").getByText(money(500)).first().waitFor();
      expect(await page.getByText(t("billing.paymentsOff")).count()).toBe(0);
      await shot(page, "billing-pricing.png");

      await signUp(page, t, `billing-${Date.now()}@example.com`);
      await page
        .getByRole("navigation")
        .getByRole("link", { name: t("nav.billing"), exact: true })
        .click();
      await page.waitForURL("**/billing");
      await page
        .getByTestId("billing-plan")
        .getByRole("heading", { name: t("billing.planNames.free") })
        .waitFor();
      await page
        .getByTestId("billing-balance")
        .filter({ hasText: t("common.credits", { count: 50 }) })
        .waitFor();

      // A pack: the button names the price, Checkout opens, Stripe's webhook brings the credits.
      await page
        .getByRole("button", { name: t("billing.buyPack", { count: 100, price: money(500) }), exact: true })
        .click();
      await page.waitForURL(/checkout\.stripe\.com/);
      const pack = payPackSession(stripe, lastSession());
      expect(
        (
          await deliverEvent(
            env.server.baseUrl,
            stripe.webhookSecret,
            stripeEvent("checkout.session.completed", pack.session),
          )
        ).status,
      ).toBe(200);
      await page.goto("/billing?checkout=success");
      await page.getByText(t("billing.checkoutSuccess")).waitFor();
      await page
        .getByTestId("billing-balance")
        .filter({ hasText: t("common.credits", { count: 150 }) })
        .waitFor();
      await page
        .locator('[data-testid="billing-entry"][data-kind="purchase"]')
        .filter({ hasText: t("billing.details.pack", { count: 100 }) })
        .waitFor();

      // A plan: subscription Checkout, then the subscription and its paid invoice.
      await page
        .getByRole("button", { name: t("billing.choosePlan", { plan: "Starter", price: money(900) }), exact: true })
        .click();
      await page.waitForURL(/checkout\.stripe\.com/);
      const plan = payPlanSession(stripe, lastSession());
      for (const event of [
        stripeEvent("invoice.paid", plan.invoice),
        stripeEvent("customer.subscription.created", plan.subscription),
      ]) {
        expect((await deliverEvent(env.server.baseUrl, stripe.webhookSecret, event)).status).toBe(200);
      }
      await page.goto("/billing");
      await page.getByTestId("billing-plan").getByRole("heading", { name: "Starter" }).waitFor();
      await page.getByTestId("billing-plan").getByText(t("billing.status.active")).waitFor();
      await page
        .getByTestId("billing-balance")
        .filter({ hasText: t("common.credits", { count: 400 }) })
        .waitFor();
      await page
        .locator('[data-testid="billing-entry"][data-kind="subscription_grant"]')
        .filter({ hasText: t("billing.details.plan", { plan: "Starter" }) })
        .waitFor();
      await page.locator('[data-testid="billing-entry"][data-kind="signup_bonus"]').waitFor();
      await shot(page, "billing-page.png");

      await page.getByTestId("billing-plan").getByTestId("billing-portal").click();
      await page.waitForURL(/billing\.stripe\.com/);
      expect(stripe.calls("POST", "/v1/billing_portal/sessions").at(-1)).toMatchObject({
        return_url: `${env.server.baseUrl}/billing`,
      });

      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto("/billing");
      await page.getByTestId("billing-plan").waitFor();
      await page.locator('[data-testid="billing-entry"]').first().waitFor();
      await noHorizontalScroll(page, "billing-phone");
      await page.goto("/pricing");
      await page.getByTestId("plan-business").waitFor();
      await noHorizontalScroll(page, "billing-pricing-phone");
    });
  });

  test("without Stripe keys: plans and packs still show, buying is off and says why", async () => {
    await inContext(offline, "billing-offline", async (page) => {
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto("/pricing");
      await page.getByText(t("billing.paymentsOff")).waitFor();
      await page
        .getByTestId("plan-pro")
        .getByText(t("billing.unlimited", { count: 1000 }))
        .waitFor();
      await noHorizontalScroll(page, "billing-offline-pricing-phone");

      await signUp(page, t, `offline-${Date.now()}@example.com`);
      await page.goto("/billing");
      await page.getByText(t("billing.paymentsOff")).first().waitFor();
      const buy = page.getByRole("button", {
        name: t("billing.buyPack", { count: 100, price: money(500) }),
        exact: true,
      });
      await buy.waitFor();
      expect(await buy.isDisabled()).toBe(true);
      await noHorizontalScroll(page, "billing-offline-phone");

      // A job past the Free plan's size: the upgrade dialog says why and what each plan costs.
      await page.goto("/dashboard");
      await page.locator('input[type="file"]').setInputFiles(coffee);
      await page.getByTestId("upload-preview").waitFor();
      await page.getByLabel(t("fields.width"), { exact: true }).fill("3000");
      await page
        .getByRole("button", {
          name: t("generator.run", { title: t("generators.resize.title"), price: 1 }),
          exact: true,
        })
        .click();
      const dialog = page.getByTestId("upgrade-dialog");
      await dialog
        .getByText(
          t("errors.plan_limit_exceeded", {
            limit: "maxSide",
            subject: "output",
            plan: "Free",
            max: 2048,
            requested: 3000,
          }),
        )
        .waitFor();
      const starter = dialog.getByRole("button", {
        name: t("billing.choosePlan", { plan: "Starter", price: money(900) }),
        exact: true,
      });
      await starter.waitFor();
      expect(await starter.isDisabled()).toBe(true);
      await dialog.getByText(t("billing.paymentsOff")).waitFor();
      await shot(page, "billing-upgrade-dialog-phone.png");
      await dialog.getByRole("button", { name: t("billing.upgrade.close"), exact: true }).click();
      await dialog.waitFor({ state: "hidden" });
    });
  });
});
