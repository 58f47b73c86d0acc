import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { inContext, signUp, startEnv, translator } from "./steps";

// Found by a new user: while a second upload was still on its way, the run button stayed live and
// the job ran (and was charged) on the previous image. A job may only start on the image shown.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = (name: string) => path.join(root, "tests/fixtures/images", name);
const t = translator("en");

const env = startEnv();

const isJobSubmit = (request: Request) => request.method() === "POST" && new URL(request.url()).pathname === "/api/v1/jobs";

describe("dashboard: a job runs on the image the user sees", () => {
  it("while a new upload is on its way nothing can start; then the job takes the new image", async () => {
    await inContext(env, "dashboard-upload", async (page) => {
      await signUp(page, t, `upload-${randomUUID()}@example.com`);
      const fileInput = page.locator('input[type="file"]');
      const preview = page.getByTestId("upload-preview");
      await fileInput.setInputFiles(fixture("coffee.png"));
      await preview.waitFor();
      const first = await preview.getAttribute("data-asset-id");
      expect(first).toBeTruthy();

      await page.getByLabel(t("generator.pick"), { exact: true }).selectOption("grayscale");
      const run = page.getByRole("button", { name: t("generator.run", { title: t("generators.grayscale.title"), price: 1 }), exact: true });
      await expect.poll(() => run.isEnabled()).toBe(true);

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
      await page.getByTestId("run-blocked").filter({ hasText: t("generator.waitForUpload") }).waitFor();
      expect(await run.isDisabled()).toBe(true);
      // Neither a click nor Enter in the form may start a job on the old image meanwhile.
      await run.click({ force: true, timeout: 2_000 }).catch(() => undefined);
      await page.getByTestId("generator-form").evaluate((form: HTMLFormElement) => form.requestSubmit());
      await page.waitForTimeout(1_000);
      expect(submitted).toEqual([]);
      await page.getByTestId("balance").filter({ hasText: /^50$/ }).waitFor();

      release();
      await expect.poll(() => preview.getAttribute("data-asset-id"), { timeout: 30_000 }).not.toBe(first);
      const second = await preview.getAttribute("data-asset-id");
      expect(await page.getByTestId("generator-form").getAttribute("data-asset-id")).toBe(second);
      await expect.poll(() => run.isEnabled()).toBe(true);

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
});
