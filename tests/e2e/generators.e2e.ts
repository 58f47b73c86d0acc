import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PDFDocument } from "pdf-lib";
import sharp from "sharp";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { inContext, noHorizontalScroll, shot, signUp, startEnv, translator } from "./steps";

// The specialised generators in a real browser: the overview, a headshot of the astronaut
// (800x800, checked with sharp), a German calendar of 12 uploads picked in order (a 12-page PDF
// checked with pdf-lib, PNG pages as thumbnails), and the pages at phone width.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = (name: string) => path.join(root, "tests/fixtures/images", name);
const t = translator("en");

let folder: string;

test.beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), "pixelwerk-calendar-"));
});

test.afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const env = startEnv();

/** The newest result once its job has ended; it must have succeeded. */
async function finishedResult(page: Page): Promise<Locator> {
  const result = page
    .locator(
      '[data-testid="generator-result"]:is([data-status="succeeded"],[data-status="failed"],[data-status="canceled"])',
    )
    .first();
  await result.waitFor({ timeout: 180_000 });
  expect(await result.getAttribute("data-status"), await result.innerText()).toBe("succeeded");
  return result;
}

/** Twelve small solid-colour PNGs, one per month. */
async function monthImages(): Promise<string[]> {
  return Promise.all(
    Array.from({ length: 12 }, async (_, month) => {
      const file = path.join(folder, `month-${String(month + 1).padStart(2, "0")}.png`);
      const hue = (month * 30) % 360;
      const [r, g, b] = [hue, (hue + 120) % 360, (hue + 240) % 360].map((h) =>
        Math.round(128 + 127 * Math.cos((h * Math.PI) / 180)),
      );
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: r ?? 0, g: g ?? 0, b: b ?? 0 } } })
        .png()
        .toFile(file);
      return file;
    }),
  );
}

test.describe("specialised generators", () => {
  test("lists the generators, makes a headshot and a German calendar, and fits a phone", async () => {
    await inContext(env, "generators", async (page) => {
      await signUp(page, t, `generators-${Date.now()}@example.com`);

      // The overview, reached from the header.
      await page
        .getByRole("navigation")
        .getByRole("link", { name: t("nav.generators"), exact: true })
        .click();
      await page.waitForURL("**/generators");
      await page.getByTestId("generator-card").first().waitFor();
      const ids = await page
        .getByTestId("generator-card")
        .evaluateAll((cards) => cards.map((card) => card.getAttribute("data-generator")));
      expect(ids).toEqual(expect.arrayContaining(["product-photo", "headshot", "calendar"]));
      await page
        .locator('[data-generator="headshot"]')
        .getByText(t("generatorPages.price", { price: 4 }))
        .waitFor();
      await shot(page, "generators-list.png");

      // Product photo: its own form and the price on the button (running it is slow on a CPU).
      await page.locator('[data-testid="generator-card"][data-generator="product-photo"]').click();
      await page.waitForURL("**/generators/product-photo");
      await page.getByRole("heading", { level: 1, name: t("generators.product-photo.title") }).waitFor();
      await page.getByLabel(t("fields.preset"), { exact: true }).waitFor();
      const runProduct = page.getByRole("button", {
        name: t("generator.run", { title: t("generators.product-photo.title"), price: 4 }),
        exact: true,
      });
      await runProduct.waitFor();
      expect(await runProduct.isDisabled(), "no image uploaded yet").toBe(true);

      // Headshot of the astronaut, profile size.
      await page.goto("/generators/headshot");
      await page.locator('input[type="file"]').setInputFiles(fixture("astronaut.png"));
      await page.getByTestId("upload-preview").waitFor();
      await page.getByLabel(t("fields.size"), { exact: true }).selectOption("profile");
      await page
        .getByRole("button", {
          name: t("generator.run", { title: t("generators.headshot.title"), price: 4 }),
          exact: true,
        })
        .click();
      const headshot = await finishedResult(page);
      await headshot.getByTestId("result-facts").waitFor();
      const [portrait] = await Promise.all([
        page.waitForEvent("download"),
        headshot.getByRole("link", { name: t("common.download"), exact: true }).click(),
      ]);
      const meta = await sharp(await portrait.path()).metadata();
      expect([meta.width, meta.height]).toEqual([800, 800]);
      await shot(page, "generators-headshot.png");

      // Calendar: 12 uploads at once, picked in order, reordered, 2027 in German with PNG pages.
      await page.goto("/generators/calendar");
      await page.locator('input[type="file"]').setInputFiles(await monthImages());
      // The astronaut from the headshot is among the uploads too.
      const choices = page.getByTestId("asset-list-choices").getByRole("button", { name: /month-\d+\.png/ });
      await expect.poll(() => choices.count(), { timeout: 60_000 }).toBe(12);
      for (let i = 0; i < 7; i++) await choices.nth(i).click();
      const count = page.getByTestId("asset-list-count");
      await count.filter({ hasText: /^7 \/ 12$/ }).waitFor();
      const picked = page.getByTestId("asset-list-picked").locator('input[type="hidden"]');
      const before = await picked.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
      await page.getByRole("button", { name: t("generator.list.moveDown", { position: 1 }), exact: true }).click();
      const after = await picked.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
      expect(after.slice(0, 2)).toEqual([before[1], before[0]]);
      await page.getByRole("button", { name: t("generator.list.addAll"), exact: true }).click();
      await count.filter({ hasText: /^12 \/ 12$/ }).waitFor();
      const pickedIds = await picked.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
      expect(new Set(pickedIds).size, "the rest are the uploads not picked yet").toBe(12);
      expect(await choices.first().isDisabled(), "a full list takes no more").toBe(true);
      const form = page.getByTestId("generator-form");
      await form.getByLabel(t("fields.year"), { exact: true }).fill("2027");
      await form.getByLabel(t("generators.calendar.fields.locale"), { exact: true }).selectOption("de");
      await form.getByLabel(t("fields.format"), { exact: true }).selectOption("png");
      await shot(page, "generators-calendar-form.png");
      await page
        .getByRole("button", {
          name: t("generator.run", { title: t("generators.calendar.title"), price: 5 }),
          exact: true,
        })
        .click();
      const calendar = await finishedResult(page);
      await expect.poll(() => calendar.getByTestId("result-pages").getByRole("img").count()).toBe(12);
      const [pdf] = await Promise.all([
        page.waitForEvent("download"),
        calendar.getByRole("link", { name: t("generatorPages.downloadPdf"), exact: true }).click(),
      ]);
      const bytes = readFileSync(await pdf.path());
      expect(bytes.subarray(0, 4).toString("latin1")).toBe("%PDF");
      expect((await PDFDocument.load(bytes)).getPageCount()).toBe(12);
      await page
        .getByTestId("header-balance")
        .filter({ hasText: t("nav.balance", { balance: 41 }) })
        .waitFor();
      await shot(page, "generators-calendar.png");

      // Phone width: nothing sticks out sideways.
      await page.setViewportSize({ width: 375, height: 800 });
      await noHorizontalScroll(page, "generators-calendar-phone");
      await page.goto("/generators");
      await page.getByTestId("generator-card").first().waitFor();
      await noHorizontalScroll(page, "generators-list-phone");
    });
  });
});
