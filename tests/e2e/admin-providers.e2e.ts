import { expect, test } from "@playwright/test";
import { inContext, noHorizontalScroll, resizeAndDownload, shot, signUp, startEnv, translator } from "./steps";

// The admin pages in a real browser: the first account (the admin) sets up ComfyUI with a URL and
// a key, sees it configured with the key shown only as a hint, tests the connection (nothing
// listens there: a failure is shown), reorders a fallback, saves a blocklist term, then reads the
// margin of a job it ran. Both pages are checked at phone width, the providers page in German too.

const env = startEnv();
const t = translator("en");
const de = translator("de");
const key = "comfy-proxy-key-e2e-7f3a";

test.describe("admin: providers and margins", () => {
  test("configures a provider, tests it, orders fallbacks, blocks a term and reads the margins", async () => {
    await inContext(env, "admin-providers", async (page, context) => {
      await signUp(page, t, `admin-${Date.now()}@example.com`);
      await resizeAndDownload(page, t, true);

      await page
        .getByRole("navigation", { name: t("nav.main") })
        .getByRole("link", { name: t("nav.admin"), exact: true })
        .click();
      await page.waitForURL("**/admin/providers");
      const card = page.locator('[data-testid="provider-card"][data-provider="comfyui"]');
      const status = card.getByTestId("provider-status");
      await status.filter({ hasText: t("adminProviders.status.none") }).waitFor();

      // A URL and a key, saved: configured here; the key field stays empty with only a hint.
      await card
        .getByLabel(`${t("adminProviders.settingNames.url")} (${t("adminProviders.required")})`, { exact: true })
        .fill("http://127.0.0.1:9");
      const keyField = card.getByLabel(t("adminProviders.settingNames.apiKey"), { exact: true });
      await keyField.fill(key);
      await card.getByRole("button", { name: t("adminProviders.save"), exact: true }).click();
      await card
        .getByRole("status")
        .filter({ hasText: t("adminProviders.saved") })
        .waitFor();
      await status.filter({ hasText: t("adminProviders.status.admin") }).waitFor();
      expect(await keyField.inputValue()).toBe("");
      expect(await keyField.getAttribute("placeholder")).toBe(
        t("adminProviders.secretPlaceholder", { hint: `••••${key.slice(-4)}` }),
      );
      expect(await page.content()).not.toContain(key);
      await page.reload();
      await status.filter({ hasText: t("adminProviders.status.admin") }).waitFor();

      // Nothing listens on port 9: the test reports that the provider did not answer.
      await card.getByRole("button", { name: t("adminProviders.test"), exact: true }).click();
      await card
        .getByTestId("provider-test-result")
        .getByRole("alert")
        .filter({ hasText: t("adminProviders.testFailed", { reason: t("adminProviders.failures.retriable") }) })
        .waitFor();

      // Fallback order: move the first provider for text to image one down, with the keyboard; focus follows it.
      const capability = t("adminProviders.capabilityNames.text-to-image");
      const group = page.getByTestId("provider-order").locator('[data-capability="text-to-image"]');
      const before = await group
        .locator("li")
        .evaluateAll((items) => items.map((item) => item.getAttribute("data-provider")!));
      expect(before).toEqual(expect.arrayContaining(["comfyui", "webhook"]));
      const firstName = (await group.locator("li").first().locator("span").first().textContent()) ?? "";
      const moveDown = group.getByRole("button", {
        name: t("adminProviders.order.moveDown", { provider: firstName, capability }),
        exact: true,
      });
      await moveDown.focus();
      await page.keyboard.press("Enter");
      const after = await group
        .locator("li")
        .evaluateAll((items) => items.map((item) => item.getAttribute("data-provider")!));
      expect(after).toEqual([before[1], before[0], ...before.slice(2)]);
      const focused = await page.evaluate(() => document.activeElement?.id);
      expect(focused).toBe(`order-text-to-image-${before[0]}-${before.length > 2 ? "down" : "up"}`);
      await page.getByRole("button", { name: t("adminProviders.order.save"), exact: true }).click();
      await page
        .getByRole("status")
        .filter({ hasText: t("adminProviders.order.saved") })
        .waitFor();
      const saved = await (await page.request.get("/api/v1/admin/provider-order")).json();
      expect(saved.order["text-to-image"]).toEqual(after);

      // The blocklist.
      await page.getByLabel(t("adminProviders.blocklist.label"), { exact: true }).fill("clown\n  \nclown\nred balloon");
      await page.getByRole("button", { name: t("adminProviders.blocklist.save"), exact: true }).click();
      await page
        .getByRole("status")
        .filter({ hasText: t("adminProviders.blocklist.saved", { count: 2 }) })
        .waitFor();
      await shot(page, "admin-providers-desktop-en.png");

      // The margin page: the resize job, 1 credit earned, no provider cost.
      await page
        .getByRole("navigation", { name: t("adminNav.label") })
        .getByRole("link", { name: t("adminNav.jobs"), exact: true })
        .click();
      await page.waitForURL("**/admin/jobs");
      const money = new Intl.NumberFormat("en-US", {
        style: "currency",
        currency: "USD",
        minimumFractionDigits: 2,
        maximumFractionDigits: 4,
      });
      await page.getByTestId("total-jobs").filter({ hasText: /^1$/ }).waitFor();
      await page
        .getByTestId("total-revenue")
        .filter({ hasText: money.format(0.05) })
        .waitFor();
      await page
        .getByTestId("total-cost")
        .filter({ hasText: money.format(0) })
        .waitFor();
      const row = page.getByTestId("costs-by-generator").locator('tr[data-key="resize"]');
      await row
        .getByTestId("margin")
        .filter({ hasText: money.format(0.05) })
        .waitFor();
      await page
        .getByTestId("admin-job")
        .filter({ hasText: t("generators.resize.title") })
        .filter({ hasText: "local" })
        .waitFor();
      await shot(page, "admin-jobs-desktop-en.png");

      await page.setViewportSize({ width: 375, height: 812 });
      await page.reload();
      await page.getByTestId("admin-job").first().waitFor();
      await noHorizontalScroll(page, "phone-admin-jobs-en");

      // German, on the phone: the providers page.
      await context.addCookies([{ name: "NEXT_LOCALE", value: "de", url: env.server.baseUrl }]);
      await page.goto("/admin/providers");
      await page.getByRole("heading", { level: 1, name: de("adminProviders.title") }).waitFor();
      await card
        .getByTestId("provider-status")
        .filter({ hasText: de("adminProviders.status.admin") })
        .waitFor();
      await page.getByRole("heading", { level: 2, name: de("adminProviders.order.title") }).waitFor();
      await noHorizontalScroll(page, "phone-admin-providers-de");
    });
  });
});
