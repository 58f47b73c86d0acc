import { expect, test } from "@playwright/test";
import {
  checkStatement,
  noHorizontalScroll,
  password,
  resizeAndDownload,
  shot,
  signIn,
  signUp,
  translator,
  inContext,
  startEnv,
} from "./steps";

const env = startEnv();

const url = (pathname: string) => `${env.server.baseUrl}${pathname}`;

test.describe("the web journey", () => {
  test("answers pages with the security headers", async () => {
    const response = await fetch(url("/"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBeTruthy();
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  test("in English: sign up, upload, resize, download, statement, phone layout, sign in, password reset", async () => {
    const t = translator("en");
    const email = `ada-${Date.now()}@example.com`;
    await inContext(env, "en", async (page) => {
      await page.setViewportSize({ width: 375, height: 812 });
      for (const pathname of ["/", "/sign-up"]) {
        await page.goto(pathname);
        await page
          .getByRole("banner")
          .getByRole("link", { name: t("nav.signIn"), exact: true })
          .waitFor();
        await noHorizontalScroll(page, `phone${pathname === "/" ? "-landing" : pathname.replace("/", "-")}-en`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });

      await signUp(page, t, email);
      await resizeAndDownload(page, t, true);
      await shot(page, "dashboard-desktop-en.png");

      // The job list comes back from the server after a reload.
      await page.reload();
      await page.locator('[data-testid="job"][data-status="succeeded"]').first().waitFor();

      await checkStatement(page, t);
      await shot(page, "statement-desktop-en.png");
      await page
        .getByRole("navigation")
        .getByRole("link", { name: t("nav.gallery"), exact: true })
        .click();
      await page.getByTestId("gallery-item").first().waitFor();

      await page.setViewportSize({ width: 375, height: 812 });
      for (const pathname of ["/dashboard", "/gallery", "/statement"]) {
        await page.goto(pathname);
        await page.getByTestId("header-balance").waitFor();
        await page.waitForLoadState("networkidle");
        await noHorizontalScroll(page, `phone${pathname.replace("/", "-")}-en`);
      }

      await page.getByRole("button", { name: t("nav.signOut"), exact: true }).click();
      await page.waitForURL(url("/"));
      await page.goto("/statement");
      await page.waitForURL("**/sign-in?next=%2Fstatement");
      await noHorizontalScroll(page, "phone-sign-in-en");
      await signIn(page, t, email, "wrong password!");
      await page
        .getByRole("alert")
        .filter({ hasText: t("auth.signInFailed") })
        .waitFor();
      await signIn(page, t, email, password);
      await page.waitForURL("**/statement");
      await page
        .getByTestId("header-balance")
        .filter({ hasText: t("nav.balance", { balance: 49 }) })
        .waitFor();
      await page.setViewportSize({ width: 1280, height: 900 });

      // Password reset through the link in the mail outbox (the first account is the admin).
      await page.getByRole("button", { name: t("nav.signOut"), exact: true }).click();
      await page.waitForURL(url("/"));
      await page.goto("/forgot-password");
      await page.getByLabel(t("auth.email"), { exact: true }).fill(email);
      await page.getByRole("button", { name: t("auth.submitForgot"), exact: true }).click();
      await page
        .getByRole("status")
        .filter({ hasText: t("auth.forgotSent") })
        .waitFor();
      await page.goto("/sign-in");
      await signIn(page, t, email, password);
      await page.waitForURL("**/dashboard");
      await page
        .getByRole("navigation")
        .getByRole("link", { name: t("nav.admin"), exact: true })
        .click();
      await page
        .getByRole("navigation", { name: t("adminNav.label") })
        .getByRole("link", { name: t("adminNav.outbox"), exact: true })
        .click();
      const mail = page
        .getByRole("listitem")
        .filter({ hasText: t("emails.reset.subject") })
        .first();
      const link = await mail.getByRole("link").first().getAttribute("href");
      expect(link).toBeTruthy();
      await shot(page, "outbox-desktop-en.png");
      await page.goto(link ?? "");
      await page.waitForURL("**/reset-password?token=**");
      const newPassword = "a brand new passphrase";
      await page.getByLabel(t("auth.newPassword"), { exact: true }).fill(newPassword);
      await page.getByLabel(t("auth.confirmPassword"), { exact: true }).fill(newPassword);
      await page.getByRole("button", { name: t("auth.submitReset"), exact: true }).click();
      await page
        .getByRole("status")
        .filter({ hasText: t("auth.resetDone") })
        .waitFor();
      await page.goto("/sign-in");
      await signIn(page, t, email, password);
      await page
        .getByRole("alert")
        .filter({ hasText: t("auth.signInFailed") })
        .waitFor();
      await signIn(page, t, email, newPassword);
      await page.waitForURL("**/dashboard");
      await page.getByTestId("balance").filter({ hasText: /^49$/ }).waitFor();
    });
  });

  test("in German and dark mode: switch the language, then the same key steps (with the polling fallback)", async () => {
    const t = translator("de");
    await inContext(
      env,
      "de",
      async (page) => {
        await page.goto("/");
        await page.getByRole("button", { name: t("nav.languages.de"), exact: true }).click();
        await page.getByRole("heading", { level: 1, name: t("landing.title") }).waitFor();
        expect(await page.locator("html").getAttribute("lang")).toBe("de");
        await shot(page, "landing-desktop-de.png");

        await signUp(page, t, `grace-${Date.now()}@example.com`);
        await page.getByRole("heading", { level: 1, name: t("dashboard.title") }).waitFor();
        // Break the live stream: progress must still arrive by polling.
        await page.route("**/api/v1/jobs/*/events", (route) => route.abort());
        await resizeAndDownload(page, t, false);
        await checkStatement(page, t);
        await shot(page, "statement-desktop-de.png");

        await page.setViewportSize({ width: 375, height: 812 });
        await page.goto("/dashboard");
        await page.locator('[data-testid="job"][data-status="succeeded"]').first().waitFor();
        await noHorizontalScroll(page, "phone-dashboard-de");
      },
      "dark",
    );
  });
});
