import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import sharp from "sharp";
import { expect, test, type Locator, type Page } from "@playwright/test";
import type { Generator, Job } from "@/components/api/types";
import { inContext, noHorizontalScroll, shot, signUp, startEnv, translator, type T } from "./steps";

// The Magic Studio and batch mode in a real browser: steps as jobs, compare slider, undo/redo,
// a reload that restores the session, downloads checked with sharp, a zip built in the browser.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = (name: string) => path.join(root, "tests/fixtures/images", name);

const env = startEnv();

type Plan = { generator: Generator; fill: Record<string, string> };

/**
 * Two studio steps among the generators the server has now: grayscale and rotate when present
 * (their required numbers filled in), else resize twice.
 */
function planSteps(generators: Generator[]): Plan[] {
  const usable = (id: string): Plan | null => {
    const generator = generators.find((g) => g.id === id && ["basics", "magic-studio"].includes(g.category));
    if (!generator) return null;
    const fill: Record<string, string> = {};
    for (const name of generator.inputSchema.required ?? []) {
      const field = generator.inputSchema.properties?.[name];
      if (name === "image" || !field || field.default !== undefined || field.enum) continue;
      if (field.type !== "number" && field.type !== "integer") return null;
      fill[name] = "90";
    }
    return { generator, fill };
  };
  const preferred = ["grayscale", "rotate"].map(usable).filter((plan): plan is Plan => plan !== null);
  const resize = generators.find((g) => g.id === "resize");
  if (!resize) throw new Error("no resize generator");
  const fallbacks: Plan[] = [
    { generator: resize, fill: { width: "300" } },
    { generator: resize, fill: { width: "200" } },
  ];
  return [...preferred, ...fallbacks].slice(0, 2);
}

async function applyStep(page: Page, t: T, plan: Plan, number: number) {
  const options = page.getByTestId("tool-options");
  if (await options.isVisible()) await options.getByRole("button", { name: t("studio.allTools"), exact: true }).click();
  await page.locator(`[data-testid="tool"][data-generator="${plan.generator.id}"]`).click();
  const form = page.locator(`[data-testid="generator-form"][data-generator="${plan.generator.id}"]`);
  for (const [name, value] of Object.entries(plan.fill)) await form.locator(`[name="${name}"]`).fill(value);
  const run = t("generator.run", { title: plan.generator.title, price: plan.generator.price });
  await form.getByRole("button", { name: run, exact: true }).click();
  await page
    .locator(`[data-testid="history-step"][data-state="current"][data-generator="${plan.generator.id}"]`)
    .nth(0)
    .waitFor({ timeout: 90_000 });
  await expect.poll(() => page.getByTestId("history-step").count()).toBe(number + 1);
}

async function addBatchStep(page: Page, t: T, plan: Plan) {
  const before = await page.getByTestId("batch-step").count();
  await page.getByLabel(t("batch.tool"), { exact: true }).selectOption(plan.generator.id);
  const form = page.locator(`[data-testid="generator-form"][data-generator="${plan.generator.id}"]`);
  for (const [name, value] of Object.entries(plan.fill)) await form.locator(`[name="${name}"]`).fill(value);
  const add = t("batch.addStep", { title: plan.generator.title, price: plan.generator.price });
  await form.getByRole("button", { name: add, exact: true }).click();
  await expect.poll(() => page.getByTestId("batch-step").count()).toBe(before + 1);
}

/** Both images of the comparison have loaded (a screenshot taken earlier shows an empty frame). */
async function imagesLoaded(page: Page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('[data-testid="compare"] img')].every(
      (image) => image.complete && image.naturalWidth > 0,
    ),
  );
}

async function historyStates(page: Page): Promise<(string | null)[]> {
  return page.getByTestId("history-step").evaluateAll((items) => items.map((item) => item.getAttribute("data-state")));
}

async function downloadFrom(page: Page, trigger: Locator) {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 90_000 }), trigger.click()]);
  return { file: await download.path(), name: download.suggestedFilename() };
}

test.describe("the Magic Studio and batch mode", () => {
  test("applies two steps, compares, undoes, redoes, survives a reload, downloads; batch makes one zip", async () => {
    const t = translator("en");
    await inContext(env, "studio", async (page) => {
      await signUp(page, t, `studio-${Date.now()}@example.com`);
      const { generators } = (await (await page.request.get("/api/v1/generators")).json()) as {
        generators: Generator[];
      };
      const plans = planSteps(generators);
      let spent = 0;

      // Upload, then two steps, each on the previous output.
      await page
        .getByRole("navigation")
        .getByRole("link", { name: t("nav.studio"), exact: true })
        .click();
      await page.waitForURL("**/studio");
      await page.getByRole("heading", { level: 1, name: t("studio.title") }).waitFor();
      await page.locator('input[type="file"]').setInputFiles(fixture("coffee.png"));
      await page.getByTestId("current-image").waitFor();
      await page.getByTestId("strip-item").and(page.locator('[aria-pressed="true"]')).waitFor();
      // A second image input (change-background's background) offers the uploads to pick from.
      if (generators.some((g) => g.id === "change-background")) {
        await page.locator('[data-testid="tool"][data-generator="change-background"]').click();
        const picker = page.getByTestId("asset-field-backgroundImage");
        await picker.getByRole("radio", { name: t("generator.noAsset"), exact: true }).waitFor();
        expect(await picker.getByRole("radio").count()).toBe(2);
        await page.getByRole("button", { name: t("studio.allTools"), exact: true }).click();
      }
      for (const [index, plan] of plans.entries()) {
        await applyStep(page, t, plan, index + 1);
        spent += plan.generator.price;
      }

      // The second step's job took the first step's output as its image.
      const ids = new URL(page.url()).searchParams.get("s")?.split(".") ?? [];
      expect(ids).toHaveLength(3);
      const jobs = await Promise.all(
        ids
          .slice(1)
          .map(async (id) => ((await (await page.request.get(`/api/v1/jobs/${id}`)).json()) as { job: Job }).job),
      );
      expect(jobs.map((job) => job.generator)).toEqual(plans.map((plan) => plan.generator.id));
      expect(jobs[1]?.inputs.image).toBe(jobs[0]?.outputs[0]?.assetId);

      // The before/after slider is a range input that moves the clip.
      const slider = page.getByRole("slider", { name: t("studio.compare"), exact: true });
      await slider.waitFor();
      await slider.fill("25");
      await expect.poll(() => page.getByTestId("compare-before").getAttribute("data-share")).toBe("25");
      await slider.focus();
      await page.keyboard.press("ArrowRight");
      await expect.poll(() => page.getByTestId("compare-before").getAttribute("data-share")).toBe("26");
      await imagesLoaded(page);
      await shot(page, "studio-desktop-en.png");

      // Undo, redo, then undo again and reload: the URL brings the same history back.
      await page.getByRole("button", { name: t("studio.undo"), exact: true }).click();
      expect(await historyStates(page)).toEqual(["applied", "current", "undone"]);
      expect(new URL(page.url()).searchParams.get("at")).toBe("1");
      await page.getByRole("button", { name: t("studio.redo"), exact: true }).click();
      expect(await historyStates(page)).toEqual(["applied", "applied", "current"]);
      expect(new URL(page.url()).searchParams.get("at")).toBeNull();
      await page.getByRole("button", { name: t("studio.undo"), exact: true }).click();
      await page.reload();
      await expect.poll(() => historyStates(page), { timeout: 20_000 }).toEqual(["applied", "current", "undone"]);
      await page.getByRole("button", { name: t("studio.redo"), exact: true }).click();
      await expect.poll(() => historyStates(page)).toEqual(["applied", "applied", "current"]);
      await page.getByRole("slider", { name: t("studio.compare"), exact: true }).waitFor();

      // Download in the image's own format, then converted to WebP (a job, priced on the button).
      const last = jobs[1]?.outputs[0];
      if (!last) throw new Error("the last step has no output");
      const own = last.mime === "image/jpeg" ? "JPEG" : last.mime === "image/webp" ? "WebP" : "PNG";
      const plain = await downloadFrom(
        page,
        page.getByRole("button", { name: t("studio.downloadAs", { format: own }), exact: true }),
      );
      const plainMeta = await sharp(plain.file).metadata();
      expect(plainMeta.format).toBe(own === "JPEG" ? "jpeg" : own.toLowerCase());
      expect([plainMeta.width, plainMeta.height]).toEqual([last.width, last.height]);

      const target = own === "WebP" ? { id: "jpeg", label: "JPEG" } : { id: "webp", label: "WebP" };
      await page.getByRole("radio", { name: target.label }).check();
      const converter = generators.find((g) => g.id === "convert") ?? generators.find((g) => g.id === "resize");
      const convertLabel = t("studio.convertAndDownload", { format: target.label, price: converter?.price ?? 1 });
      const converted = await downloadFrom(page, page.getByRole("button", { name: convertLabel, exact: true }));
      const convertedMeta = await sharp(converted.file).metadata();
      expect(convertedMeta.format).toBe(target.id);
      expect([convertedMeta.width, convertedMeta.height]).toEqual([last.width, last.height]);
      spent += converter?.price ?? 1;
      await page
        .getByTestId("header-balance")
        .filter({ hasText: t("nav.balance", { balance: 50 - spent }) })
        .waitFor();

      // Phone: the panel stacks below the image, nothing scrolls sideways.
      await page.setViewportSize({ width: 375, height: 812 });
      await page.getByRole("slider", { name: t("studio.compare"), exact: true }).waitFor();
      await noHorizontalScroll(page, "phone-studio-en");
      const stage = await page.getByRole("heading", { name: t("studio.tools"), exact: true }).boundingBox();
      const image = await page.getByTestId("compare").boundingBox();
      expect(stage && image && stage.y > image.y + image.height, "the tool panel sits below the image").toBe(true);
      await page.setViewportSize({ width: 1280, height: 900 });

      // Batch: two images, one step, one zip.
      await page
        .getByRole("navigation")
        .getByRole("link", { name: t("nav.batch"), exact: true })
        .click();
      await page.waitForURL("**/batch");
      await page.locator('input[type="file"]').setInputFiles([fixture("coffee.png"), fixture("chelsea.png")]);
      await expect.poll(() => page.getByTestId("batch-image").count(), { timeout: 30_000 }).toBe(2);
      const step = plans[0]!;
      await addBatchStep(page, t, step);
      const total = 2 * step.generator.price;
      await page
        .getByTestId("batch-total")
        .filter({ hasText: t("batch.total", { images: 2, perImage: step.generator.price, total }) })
        .waitFor();
      await page.getByRole("button", { name: t("batch.run", { steps: 1, images: 2, total }), exact: true }).click();
      await expect
        .poll(() => page.locator('[data-testid="batch-image"][data-status="succeeded"]').count(), { timeout: 90_000 })
        .toBe(2);
      spent += total;
      await shot(page, "batch-desktop-en.png");
      const zip = await downloadFrom(
        page,
        page.getByRole("button", { name: t("batch.downloadAll", { count: 2 }), exact: true }),
      );
      expect(zip.name).toMatch(/\.zip$/);
      const files = unzipSync(new Uint8Array(readFileSync(zip.file)));
      const names = Object.keys(files).sort();
      expect(names).toHaveLength(2);
      expect(names.map((name) => name.replace(/\.[^.]+$/, ""))).toEqual(["chelsea", "coffee"]);
      for (const name of names) {
        const meta = await sharp(Buffer.from(files[name]!)).metadata();
        expect(meta.width, name).toBeGreaterThan(0);
      }
      await page
        .getByTestId("header-balance")
        .filter({ hasText: t("nav.balance", { balance: 50 - spent }) })
        .waitFor();

      // One image failing does not stop the other: a crop larger than the cat photo (451×300) but
      // inside the coffee photo (600×400), then a second step that the cat photo skips.
      const crop = generators.find((g) => g.id === "crop");
      if (crop) {
        await page
          .getByRole("button", { name: t("batch.removeStep", { number: 1, title: step.generator.title }), exact: true })
          .click();
        await addBatchStep(page, t, { generator: crop, fill: { x: "0", y: "0", width: "500", height: "350" } });
        await addBatchStep(page, t, step);
        const both = 2 * (crop.price + step.generator.price);
        await page
          .getByRole("button", { name: t("batch.run", { steps: 2, images: 2, total: both }), exact: true })
          .click();
        const cat = page.getByTestId("batch-image").filter({ hasText: "chelsea.png" });
        const cup = page.getByTestId("batch-image").filter({ hasText: "coffee.png" });
        await page.getByText(t("batch.finished", { succeeded: 1, failed: 1 })).waitFor({ timeout: 90_000 });
        expect(await cat.getAttribute("data-status")).toBe("failed");
        expect(await cup.getAttribute("data-status")).toBe("succeeded");
        await cat.getByText(t("batch.skipped"), { exact: false }).waitFor();
        spent += crop.price + step.generator.price;
        await page
          .getByTestId("header-balance")
          .filter({ hasText: t("nav.balance", { balance: 50 - spent }) })
          .waitFor();
        await shot(page, "batch-failure-desktop-en.png");
        const partial = await downloadFrom(
          page,
          page.getByRole("button", { name: t("batch.downloadAll", { count: 1 }), exact: true }),
        );
        const partialFiles = Object.keys(unzipSync(new Uint8Array(readFileSync(partial.file))));
        expect(partialFiles).toEqual(["coffee.png"]);
      }

      await page.setViewportSize({ width: 375, height: 812 });
      await noHorizontalScroll(page, "phone-batch-en");

      // In German on the phone: the studio opens the latest upload, labels translated.
      const de = translator("de");
      await page.getByRole("button", { name: t("nav.languages.de"), exact: true }).click();
      await page.getByRole("heading", { level: 1, name: de("batch.title") }).waitFor();
      await page
        .getByRole("navigation")
        .getByRole("link", { name: de("nav.studio"), exact: true })
        .click();
      await page.getByRole("heading", { name: de("studio.tools"), exact: true }).waitFor();
      await page.getByTestId("current-image").waitFor();
      await noHorizontalScroll(page, "phone-studio-de");

      // The tools' facts reach the user: no face in the coffee photo, so smart crop says so.
      const smartCrop = generators.find((g) => g.id === "smart-crop");
      if (smartCrop) {
        await page.setViewportSize({ width: 1280, height: 900 });
        await page
          .getByRole("button", { name: de("studio.editImage", { name: "coffee.png" }) })
          .first()
          .click();
        await page.locator('[data-testid="tool"][data-generator="smart-crop"]').click();
        const form = page.locator('[data-testid="generator-form"][data-generator="smart-crop"]');
        await form.locator('[name="focus"]').selectOption("face");
        await form.locator('[name="aspect"]').fill("1:1");
        const title = (
          (await (await page.request.get("/api/v1/generators")).json()) as { generators: Generator[] }
        ).generators.find((g) => g.id === "smart-crop")?.title;
        await form
          .getByRole("button", {
            name: de("generator.run", { title: title ?? "", price: smartCrop.price }),
            exact: true,
          })
          .click();
        await page
          .getByTestId("result-facts")
          .filter({ hasText: de("studio.facts.noFace") })
          .waitFor({ timeout: 120_000 });
        await imagesLoaded(page);
        await shot(page, "studio-facts-desktop-de.png");
      }
    });
  });
});
