import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTranslator } from "next-intl";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import sharp from "sharp";
import de from "@/messages/de.json" with { type: "json" };
import en from "@/messages/en.json" with { type: "json" };
import { startAppServer, type AppServer } from "./app-server";

// Steps of the browser journey. Pages use the context's baseURL; labels and texts come from the
// message files, so the same steps run in English and German.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const coffee = path.join(root, "tests/fixtures/images/coffee.png");
export const shots = path.join(root, "test-results/e2e");
mkdirSync(shots, { recursive: true });
export const password = "correct horse battery staple";

export type Locale = "en" | "de";
export const translator = (locale: Locale) =>
  createTranslator({ locale, messages: locale === "de" ? (de as typeof en) : en });
export type T = ReturnType<typeof translator>;

export async function signUp(page: Page, t: T, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel(t("auth.name"), { exact: true }).fill("Ada Lovelace");
  await page.getByLabel(t("auth.email"), { exact: true }).fill(email);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(password);
  await page.getByRole("button", { name: t("auth.submitSignUp"), exact: true }).click();
  await page.waitForURL("**/dashboard");
  await page.getByTestId("balance").filter({ hasText: /^50$/ }).waitFor();
}

export async function signIn(page: Page, t: T, email: string, secret: string) {
  await page.getByLabel(t("auth.email"), { exact: true }).fill(email);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(secret);
  await page.getByRole("button", { name: t("auth.submitSignIn"), exact: true }).click();
}

/**
 * Upload the coffee photo, resize it to 300 px wide WebP, wait for the result, download it.
 * live: whether progress should arrive over Server-Sent Events (else the polling fallback).
 */
export async function resizeAndDownload(page: Page, t: T, live: boolean) {
  await page.locator('input[type="file"]').setInputFiles(coffee);
  await page.getByTestId("upload-preview").waitFor();
  await page.getByLabel(t("fields.width"), { exact: true }).fill("300");
  await page.getByLabel(t("fields.format"), { exact: true }).selectOption("webp");
  const run = t("generator.run", { title: t("generators.resize.title"), price: 1 });
  const events = page.waitForResponse((r) => r.url().includes("/events")).catch(() => null);
  const polled = page.waitForRequest((r) => /\/api\/v1\/jobs\/[^/?]+$/.test(r.url())).catch(() => null);
  await page.getByRole("button", { name: run, exact: true }).click();

  const job = page
    .locator('[data-testid="job"]:is([data-status="succeeded"],[data-status="failed"],[data-status="canceled"])')
    .first();
  await job.waitFor({ timeout: 90_000 });
  expect(await job.getAttribute("data-status"), await job.innerText()).toBe("succeeded");
  if (live) {
    const response = await events;
    expect(response?.headers()["content-type"], "no event stream was opened").toContain("text/event-stream");
  } else {
    expect(await polled, "the job was never polled").not.toBeNull();
  }
  await job
    .getByTestId("job-status")
    .filter({ hasText: t("jobs.status.succeeded") })
    .waitFor();

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
  await page
    .getByTestId("header-balance")
    .filter({ hasText: t("nav.balance", { balance: 49 }) })
    .waitFor();
}

export async function checkStatement(page: Page, t: T) {
  await page
    .getByRole("navigation")
    .getByRole("link", { name: t("nav.statement"), exact: true })
    .click();
  await page.waitForURL("**/statement");
  await page
    .locator('[data-testid="ledger-entry"][data-kind="capture"]')
    .filter({ hasText: t("statement.charged", { amount: 1 }) })
    .waitFor();
  await page
    .locator('[data-testid="ledger-entry"][data-kind="signup_bonus"]')
    .filter({ hasText: t("statement.kinds.signup_bonus") })
    .waitFor();
  await page
    .getByTestId("statement-balance")
    .filter({ hasText: t("common.credits", { count: 49 }) })
    .waitFor();
}

/** A full-page screenshot for people to look at, taken from the top so the sticky header sits there. */
export async function shot(page: Page, file: string) {
  // Scroll through once so lazy images load, then start from the top.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, file), fullPage: true });
}

export async function noHorizontalScroll(page: Page, name: string) {
  await shot(page, `${name}.png`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${name}: page is wider than the phone`).toBeLessThanOrEqual(375);
}

/** The app server and Chromium a test file runs against. */
export type Env = { browser: Browser; server: AppServer };

/** Starts the app server before the file's tests and stops it after; Chromium is the worker's. */
export function startEnv(): Env {
  const env = {} as Env;
  test.beforeAll(async ({ browser }) => {
    env.server = await startAppServer();
    env.browser = browser;
  });
  test.afterAll(async () => {
    await env.server?.stop();
  });
  return env;
}

/**
 * Runs steps in a fresh browser context against the app server. Uncaught exceptions and console
 * errors (hydration mismatches, CSP violations...) fail the test; failed loads are expected
 * (/api/v1/me answers 401 when signed out, the German run aborts SSE). On failure it keeps a
 * screenshot and adds the server log to the error.
 */
export async function inContext(
  { browser, server }: Env,
  name: string,
  run: (page: Page, context: BrowserContext) => Promise<void>,
  colorScheme: "light" | "dark" = "light",
) {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: "en-US",
    colorScheme,
    baseURL: server.baseUrl,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
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
