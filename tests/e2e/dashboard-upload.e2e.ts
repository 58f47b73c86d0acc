import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { expect, test, type Request } from "@playwright/test";
import { inContext, signUp, startEnv, translator } from "./steps";

// Found by a new user: while a second upload was still on its way, the run button stayed live and
// the job ran (and was charged) on the previous image. A job may only start on the image shown.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = (name: string) => path.join(root, "tests/fixtures/images", name);
const t = translator("en");

const env = startEnv();

const isJobSubmit = (request: Request) =>
  request.method() === "POST" && new URL(request.url()).pathname === "/api/v1/jobs";

test.describe("dashboard: a job runs on the image the user sees", () => {
  test("while a new upload is on its way nothing can start; then the job takes the new image", async () => {
    await inContext(env, "dashboard-upload", async (page) => {
      await signUp(page, t, `upload-${randomUUID()}@example.com`);
      const fileInput = page.locator('input[type="file"]');
      const preview = page.getByTestId("upload-preview");
      await fileInput.setInputFiles(fixture("coffee.png"));
      await preview.waitFor();
      const first = await preview.getAttribute("data-asset-id");
      expect(first).toBeTruthy();

      await page.getByLabel(t("generator.pick"), { exact: true }).selectOption("grayscale");
      const run = page.getByRole("button", {
        name: t("generator.run", { title: t("generators.grayscale.title"), price: 1 }),
        exact: true,
      });
      await expect.poll(() => run.isEnabled(), { timeout: 15_000 }).toBe(true);

      // The second upload's answer is held back, as a slow connection or a large image would.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route("**/api/v1/assets", async (route) => {
        if (route.request().method() === "POST") await held;
        await route.continue();
      });
      const submitted: string[] = [];
      page.on("request", (request) => {
        if (isJobSubmit(request)) submitted.push(request.postData() ?? "");
      });

      await fileInput.setInputFiles(fixture("horse.png"));
      await page.getByTestId("upload-progress").waitFor();
      // Neither a click nor Enter in the form may start a job on the old image meanwhile.
      await run.click({ force: true, timeout: 2_000 }).catch(() => undefined);
      await page.getByTestId("generator-form").evaluate((form: HTMLFormElement) => form.requestSubmit());
      await page.waitForTimeout(1_000);
      expect(submitted).toEqual([]);
      expect(await run.isDisabled()).toBe(true);
      await page
        .getByTestId("run-blocked")
        .filter({ hasText: t("generator.waitForUpload") })
        .waitFor();
      await page.getByTestId("balance").filter({ hasText: /^50$/ }).waitFor();

      release();
      await expect.poll(() => preview.getAttribute("data-asset-id"), { timeout: 30_000 }).not.toBe(first);
      const second = await preview.getAttribute("data-asset-id");
      expect(await page.getByTestId("generator-form").getAttribute("data-asset-id")).toBe(second);
      await expect.poll(() => run.isEnabled(), { timeout: 15_000 }).toBe(true);

      const request = page.waitForRequest(isJobSubmit);
      await run.click();
      const body = JSON.parse((await request).postData() ?? "{}") as { generator: string; inputs: { image: string } };
      expect(body).toMatchObject({ generator: "grayscale", inputs: { image: second } });

      const job = page.locator('[data-testid="job"]:is([data-status="succeeded"],[data-status="failed"])').first();
      await job.waitFor({ timeout: 90_000 });
      expect(await job.getAttribute("data-status"), await job.innerText()).toBe("succeeded");
      const jobs = await page.evaluate(() => fetch("/api/v1/jobs?limit=5").then((r) => r.json()));
      expect((jobs as { jobs: { inputs: { image: string } }[] }).jobs.map((j) => j.inputs.image)).toEqual([second]);
      await page.getByTestId("balance").filter({ hasText: /^49$/ }).waitFor();
    });
  });

  test("in German: a job whose result would be past the Free plan's size is refused before any credit moves, and the dialog says why", async () => {
    const de = translator("de");
    await inContext(env, "dashboard-plan-limit-de", async (page) => {
      await page.goto("/");
      await page.getByRole("button", { name: de("nav.languages.de"), exact: true }).click();
      await page.getByRole("heading", { level: 1, name: de("landing.title") }).waitFor();
      await signUp(page, de, `limit-${randomUUID()}@example.com`);
      const wide = await sharp({ create: { width: 2400, height: 1000, channels: 3, background: "#406080" } })
        .png()
        .toBuffer();
      await page.locator('input[type="file"]').setInputFiles({ name: "wide.png", mimeType: "image/png", buffer: wide });
      await page.getByTestId("upload-preview").waitFor();
      // Worked on at 2048 px (Free's size), then upscaled twice: 4096 px.
      await page.getByLabel(de("generator.pick"), { exact: true }).selectOption("upscale");
      await page
        .getByRole("button", {
          name: de("generator.run", { title: de("generators.upscale.title"), price: 2 }),
          exact: true,
        })
        .click();

      const dialog = page.getByTestId("upgrade-dialog");
      const explained = de("errors.plan_limit_exceeded", {
        limit: "maxSide",
        subject: "output",
        plan: "Free",
        max: 2048,
        requested: 4096,
      });
      await dialog.getByText(explained).waitFor();
      await dialog.getByRole("heading", { name: de("billing.upgrade.limitPlansTitle") }).waitFor();
      // Starter makes 4096 px a side: it is offered.
      await dialog
        .getByText(de("billing.limits.maxSide", { max: 4096 }))
        .first()
        .waitFor();
      await page.getByTestId("balance").filter({ hasText: /^50$/ }).waitFor();
      await page.getByTestId("held").filter({ hasText: /^0$/ }).waitFor();
    });
  });
});
