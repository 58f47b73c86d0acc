import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTranslator } from "next-intl";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import de from "@/messages/de.json";
import en from "@/messages/en.json";
import { startAppServer, type AppServer } from "./app-server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const coffee = path.join(root, "tests/fixtures/images/coffee.png");
const shots = path.join(root, "test-results/e2e");
const password = "correct horse battery staple";

type Locale = "en" | "de";
const translator = (locale: Locale) => createTranslator({ locale, messages: locale === "de" ? (de as typeof en) : en });
type T = ReturnType<typeof translator>;

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startAppServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Runs a step list in a fresh browser context; on failure keeps a screenshot and the server log. */
async function inContext(
  name: string,
  run: (page: Page, context: BrowserContext) => Promise<void>,
  colorScheme: "light" | "dark" = "light",
) {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: "en-US",
    colorScheme,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  // Uncaught exceptions and console errors (hydration mismatches, CSP violations...) fail the test.
  // Failed loads are expected: /api/v1/me answers 401 when signed out, the German run aborts SSE.
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  try {
    await run(page, context);
    expect(problems).toEqual([]);
  } catch (error) {
    await page.screenshot({ path: path.join(shots, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n\nPage: ${page.url()}\n--- server output ---\n${server.output()}`, { cause: error });
  } finally {
    await context.close();
  }
}

const url = (pathname: string) => `${server.baseUrl}${pathname}`;

async function signUp(page: Page, t: T, email: string) {
  await page.goto(url("/sign-up"));
  await page.getByLabel(t("auth.name"), { exact: true }).fill("Ada Lovelace");
  await page.getByLabel(t("auth.email"), { exact: true }).fill(email);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(password);
  await page.getByRole("button", { name: t("auth.submitSignUp"), exact: true }).click();
  await page.waitForURL("**/dashboard");
  await page.getByTestId("balance").filter({ hasText: /^50$/ }).waitFor();
}

async function signIn(page: Page, t: T, email: string, secret: string) {
  await page.getByLabel(t("auth.email"), { exact: true }).fill(email);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(secret);
  await page.getByRole("button", { name: t("auth.submitSignIn"), exact: true }).click();
}

/**
 * Upload the coffee photo, resize it to 300 px wide WebP, wait for the result, download it.
 * live: whether progress should arrive over Server-Sent Events (else the polling fallback).
 */
async function resizeAndDownload(page: Page, t: T, live: boolean) {
  await page.locator('input[type="file"]').setInputFiles(coffee);
  await page.getByTestId("upload-preview").waitFor();
  await page.getByLabel(t("generator.fields.width"), { exact: true }).fill("300");
  await page.getByLabel(t("generator.fields.format"), { exact: true }).selectOption("webp");
  const run = t("generator.run", { title: t("generators.resize.title"), price: 1 });
  const events = page.waitForResponse((r) => r.url().includes("/events")).catch(() => null);
  const polled = page.waitForRequest((r) => /\/api\/v1\/jobs\/[^/?]+$/.test(r.url())).catch(() => null);
  await page.getByRole("button", { name: run, exact: true }).click();

  const job = page.locator('[data-testid="job"]:is([data-status="succeeded"],[data-status="failed"],[data-status="canceled"])').first();
  await job.waitFor({ timeout: 90_000 });
  expect(await job.getAttribute("data-status"), await job.innerText()).toBe("succeeded");
  if (live) {
    const response = await events;
    expect(response?.headers()["content-type"], "no event stream was opened").toContain("text/event-stream");
  } else {
    expect(await polled, "the job was never polled").not.toBeNull();
  }
  await job.getByTestId("job-status").filter({ hasText: t("jobs.status.succeeded") }).waitFor();

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    job.getByRole("link", { name: t("common.download"), exact: true }).click(),
  ]);
  const file = await download.path();
  const meta = await sharp(file).metadata();
  expect(meta.format).toBe("webp");
  expect(meta.width).toBe(300);
  expect(meta.height).toBe(200);
  expect(download.suggestedFilename()).toMatch(/\.webp$/);

  await page.getByTestId("balance").filter({ hasText: /^49$/ }).waitFor();
  await page.getByTestId("header-balance").filter({ hasText: t("nav.balance", { balance: 49 }) }).waitFor();
}

async function checkStatement(page: Page, t: T) {
  await page.getByRole("link", { name: t("nav.statement"), exact: true }).click();
  await page.waitForURL("**/statement");
  await page
    .locator('[data-testid="ledger-entry"][data-kind="capture"]')
    .filter({ hasText: t("statement.charged", { amount: 1 }) })
    .waitFor();
  await page.locator('[data-testid="ledger-entry"][data-kind="signup_bonus"]').filter({ hasText: t("statement.kinds.signup_bonus") }).waitFor();
  await page.getByTestId("statement-balance").filter({ hasText: t("common.credits", { count: 49 }) }).waitFor();
}

/** A full-page screenshot for people to look at, taken from the top so the sticky header sits there. */
async function shot(page: Page, file: string) {
  // Scroll through once so lazy images load, then start from the top.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, file), fullPage: true });
}

async function noHorizontalScroll(page: Page, name: string) {
  await shot(page, `${name}.png`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${name}: page is wider than the phone`).toBeLessThanOrEqual(375);
}

describe("the web journey", () => {
  it("in English: sign up, upload, resize, download, statement, phone layout, sign in, password reset", async () => {
    const t = translator("en");
    const email = `ada-${Date.now()}@example.com`;
    await inContext("en", async (page) => {
      await page.setViewportSize({ width: 375, height: 812 });
      for (const pathname of ["/", "/sign-up"]) {
        await page.goto(url(pathname));
        await page.getByRole("link", { name: t("nav.signIn"), exact: true }).waitFor();
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
      await page.getByRole("link", { name: t("nav.gallery"), exact: true }).click();
      await page.getByTestId("gallery-item").first().waitFor();

      await page.setViewportSize({ width: 375, height: 812 });
      for (const pathname of ["/dashboard", "/gallery", "/statement"]) {
        await page.goto(url(pathname));
        await page.getByTestId("header-balance").waitFor();
        await page.waitForLoadState("networkidle");
        await noHorizontalScroll(page, `phone${pathname.replace("/", "-")}-en`);
      }

      await page.getByRole("button", { name: t("nav.signOut"), exact: true }).click();
      await page.waitForURL(url("/"));
      await page.goto(url("/statement"));
      await page.waitForURL("**/sign-in?next=%2Fstatement");
      await noHorizontalScroll(page, "phone-sign-in-en");
      await signIn(page, t, email, "wrong password!");
      await page.getByRole("alert").filter({ hasText: t("auth.signInFailed") }).waitFor();
      await signIn(page, t, email, password);
      await page.waitForURL("**/statement");
      await page.getByTestId("header-balance").filter({ hasText: t("nav.balance", { balance: 49 }) }).waitFor();
      await page.setViewportSize({ width: 1280, height: 900 });

      // Password reset through the link in the mail outbox (the first account is the admin).
      await page.getByRole("button", { name: t("nav.signOut"), exact: true }).click();
      await page.waitForURL(url("/"));
      await page.goto(url("/forgot-password"));
      await page.getByLabel(t("auth.email"), { exact: true }).fill(email);
      await page.getByRole("button", { name: t("auth.submitForgot"), exact: true }).click();
      await page.getByRole("status").filter({ hasText: t("auth.forgotSent") }).waitFor();
      await page.goto(url("/sign-in"));
      await signIn(page, t, email, password);
      await page.waitForURL("**/dashboard");
      await page.getByRole("link", { name: t("nav.outbox"), exact: true }).click();
      const mail = page.getByRole("listitem").filter({ hasText: t("emails.reset.subject") }).first();
      const link = await mail.getByRole("link").first().getAttribute("href");
      expect(link).toBeTruthy();
      await shot(page, "outbox-desktop-en.png");
      await page.goto(link ?? "");
      await page.waitForURL("**/reset-password?token=**");
      const newPassword = "a brand new passphrase";
      await page.getByLabel(t("auth.newPassword"), { exact: true }).fill(newPassword);
      await page.getByLabel(t("auth.confirmPassword"), { exact: true }).fill(newPassword);
      await page.getByRole("button", { name: t("auth.submitReset"), exact: true }).click();
      await page.getByRole("status").filter({ hasText: t("auth.resetDone") }).waitFor();
      await page.goto(url("/sign-in"));
      await signIn(page, t, email, password);
      await page.getByRole("alert").filter({ hasText: t("auth.signInFailed") }).waitFor();
      await signIn(page, t, email, newPassword);
      await page.waitForURL("**/dashboard");
      await page.getByTestId("balance").filter({ hasText: /^49$/ }).waitFor();
    });
  });

  it("in German and dark mode: switch the language, then the same key steps (with the polling fallback)", async () => {
    const t = translator("de");
    await inContext("de", async (page) => {
      await page.goto(url("/"));
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
      await page.goto(url("/dashboard"));
      await page.locator('[data-testid="job"][data-status="succeeded"]').first().waitFor();
      await noHorizontalScroll(page, "phone-dashboard-de");
    }, "dark");
  });
});
