import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { expect, test, type Page } from "@playwright/test";
import type { Asset, Generator, Job } from "@/components/api/types";
import { startOpenAIFake, type OpenAIFake } from "../fakes/openai";
import { startWebhookFake, type WebhookFake } from "../fakes/webhook";
import { startAppServer } from "./app-server";
import { inContext, noHorizontalScroll, shot, signUp, translator, type Env, type T } from "./steps";

// The generative generators in a real browser. First a server with no AI provider: they are
// listed with a note naming the keys to set (also in German), the run button is disabled, and a
// forced submit shows the API's provider_not_configured message. Then a server whose OPENAI_*
// settings point at the OpenAI fake (tests/fakes/openai.ts) in this process: text-to-image with
// the price on the button and the balance dropping by it, and a magic erase painted with the brush
// in the Studio (the fake receives the mask; the result is green where the fake filled it).
// Last a server whose only provider is an operator's webhook (tests/fakes/webhook.ts), which
// answers an ad video: it plays in the job card and in the gallery, and is there after a reload.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const coffee = path.join(root, "tests/fixtures/images/coffee.png");
const t = translator("en");

/** An app server for one describe block (one at a time: they are heavy). */
function serverFor(env: () => Record<string, string>): Env {
  const holder = {} as Env;
  test.beforeAll(async ({ browser }) => {
    holder.server = await startAppServer({ env: env() });
    holder.browser = browser;
  });
  test.afterAll(async () => {
    await holder.server?.stop();
  });
  return holder;
}

async function generatorsOf(page: Page): Promise<Generator[]> {
  return ((await (await page.request.get("/api/v1/generators")).json()) as { generators: Generator[] }).generators;
}

/** The provider note as the page shows it: the message with its link as plain text. */
const providerNote = (tr: T, generator: Generator) =>
  tr.markup("generator.needsProvider", { keys: generator.requires.join(", "), link: (chunks) => chunks });

async function balanceIs(page: Page, balance: number) {
  await page
    .getByTestId("header-balance")
    .filter({ hasText: t("nav.balance", { balance }) })
    .waitFor();
}

test.describe("without an AI provider", () => {
  const env = serverFor(() => ({}));

  test("lists the generative generators with the keys to set, disables running them, and says so in German", async () => {
    await inContext(env, "generative-no-provider", async (page) => {
      await signUp(page, t, `no-provider-${Date.now()}@example.com`);
      const generators = await generatorsOf(page);
      const textToImage = generators.find((g) => g.id === "text-to-image");
      expect(textToImage?.available).toBe(false);
      expect(textToImage?.requires).toContain("OPENAI_API_KEY");

      // Listed, with the note, on the overview.
      await page.goto("/generators");
      for (const id of ["text-to-image", "ai-headshot", "ad-video", "variations"]) {
        const card = page.locator(`[data-testid="generator-card"][data-generator="${id}"]`);
        await card.getByText(t("generatorPages.needsProvider"), { exact: true }).waitFor();
        expect(await card.getAttribute("data-available")).toBe("false");
      }
      await shot(page, "generators-no-provider-en.png");

      // Its page: which keys to set, a disabled run button, no model that could run.
      await page.locator('[data-testid="generator-card"][data-generator="text-to-image"]').click();
      await page.waitForURL("**/generators/text-to-image");
      const note = page.getByTestId("provider-note");
      await note.waitFor();
      expect(await note.innerText()).toBe(providerNote(t, textToImage!));
      expect(await note.getByRole("link").getAttribute("href")).toBe("/admin/providers");
      const run = page.getByRole("button", {
        name: t("generator.run", { title: textToImage!.title, price: 1 }),
        exact: true,
      });
      expect(await run.isDisabled()).toBe(true);
      expect(await page.getByTestId("model-select").locator("option:disabled").count()).toBe(5);

      // Submitted anyway: the API's provider_not_configured message is shown, nothing is charged.
      await page.getByLabel(t("fields.prompt"), { exact: true }).fill("A red bicycle against a yellow wall");
      await page.getByTestId("generator-form").evaluate((form) => (form as HTMLFormElement).requestSubmit());
      const alert = page.getByTestId("generator-form").getByRole("alert");
      await alert.waitFor();
      expect(await alert.innerText()).toContain("OPENAI_API_KEY");
      expect((await (await page.request.get("/api/v1/me")).json()).account.balance).toBe(50);

      // The studio lists the AI tools too, each marked.
      await page.goto("/studio");
      const erase = page.locator('[data-testid="tool"][data-generator="erase"]');
      await erase.getByText(t("studio.needsProvider"), { exact: true }).waitFor();
      for (const id of ["edit", "expand", "style", "restore", "ai-upscale"]) {
        await page.locator(`[data-testid="tool"][data-generator="${id}"]`).waitFor();
      }

      // German: the note in the user's language.
      const de = translator("de");
      await page.getByRole("button", { name: t("nav.languages.de"), exact: true }).click();
      await page.waitForFunction(() => document.documentElement.lang === "de");
      await page.goto("/generators/text-to-image");
      await expect.poll(() => page.getByTestId("provider-note").innerText()).toBe(providerNote(de, textToImage!));
      await shot(page, "text-to-image-no-provider-de.png");
    });
  });
});

test.describe("with OpenAI configured", () => {
  let fake: OpenAIFake;
  test.beforeAll(async () => {
    fake = await startOpenAIFake();
  });
  test.afterAll(async () => {
    await fake?.close();
  });
  const env: Env = serverFor(() => ({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseUrl }));

  test("text to image: models with prices, the price on the button, two images for it, and a phone", async () => {
    await inContext(env, "text-to-image", async (page) => {
      await signUp(page, t, `text-to-image-${Date.now()}@example.com`);
      await page
        .getByRole("navigation")
        .getByRole("link", { name: t("nav.generators"), exact: true })
        .click();
      await page
        .locator('[data-testid="generator-card"][data-generator="text-to-image"][data-available="true"]')
        .click();
      await page.waitForURL("**/generators/text-to-image");
      const title = t("generators.text-to-image.title");

      // The first model OpenAI can run is preselected; the FLUX ones need another provider.
      const model = page.getByTestId("model-select");
      expect(await model.inputValue()).toBe("gpt-image-1-mini");
      expect(await model.locator('option[value="flux-schnell"]').isDisabled()).toBe(true);
      expect(await model.locator('option[value="gpt-image-1"]').innerText()).toBe(
        t("generator.modelOption", { model: t("values.model.gpt-image-1"), price: t("common.credits", { count: 5 }) }),
      );
      await page.getByRole("button", { name: t("generator.run", { title, price: 2 }), exact: true }).waitFor();

      // A prompt with its count; GPT Image; two images; a seed under "More options".
      const prompt = "A red bicycle leaning against a sunny yellow wall";
      await page.getByLabel(t("fields.prompt"), { exact: true }).fill(prompt);
      await page
        .getByTestId("count-prompt")
        .filter({ hasText: t("generator.charactersOf", { count: prompt.length, max: 2000 }) })
        .waitFor();
      await model.selectOption("gpt-image-1");
      await page.getByLabel(t("fields.count"), { exact: true }).fill("2");
      await page.getByText(t("generator.moreOptions"), { exact: true }).click();
      await page.getByLabel(t("fields.seed"), { exact: true }).fill("7");
      const run = page.getByRole("button", { name: t("generator.run", { title, price: 10 }), exact: true });
      await run.click();

      const result = page
        .locator('[data-testid="generator-result"]:is([data-status="succeeded"],[data-status="failed"])')
        .first();
      await result.waitFor({ timeout: 90_000 });
      expect(await result.getAttribute("data-status"), await result.innerText()).toBe("succeeded");
      await balanceIs(page, 40);
      expect(await result.getByTestId("job-output").count()).toBe(2);
      const downloads = result.getByRole("link", { name: t("common.download"), exact: true });
      expect(await downloads.count()).toBe(2);
      const [download] = await Promise.all([page.waitForEvent("download"), downloads.nth(1).click()]);
      expect((await sharp(await download.path()).metadata()).format).toBe("png");

      // What went to OpenAI, and what the job holds.
      const { jobs } = (await (await page.request.get("/api/v1/jobs")).json()) as { jobs: Job[] };
      expect(jobs[0]).toMatchObject({
        generator: "text-to-image",
        price: 10,
        inputs: { model: "gpt-image-1", count: 2, seed: 7, prompt },
      });
      const generations = (await fake.imageRequests()).filter(
        (r) => r.endpoint === "generations" && r.prompt.includes(prompt),
      );
      expect(generations.map((r) => r.model)).toEqual(expect.arrayContaining(["gpt-image-1"]));
      expect(generations.reduce((sum, r) => sum + (r.n ?? 1), 0)).toBe(2);
      await shot(page, "text-to-image-desktop-en.png");

      // After a reload the run is still listed (from GET /api/v1/jobs); the page fits a phone.
      await page.setViewportSize({ width: 375, height: 812 });
      await page.reload();
      await page.locator('[data-testid="generator-result"][data-status="succeeded"]').first().waitFor();
      await noHorizontalScroll(page, "text-to-image-phone-en");
    });
  });

  test("magic erase: a brushed mask over the image, uploaded and sent to OpenAI with the image", async () => {
    await inContext(env, "erase", async (page) => {
      await signUp(page, t, `erase-${Date.now()}@example.com`);
      await page.goto("/studio");
      await page.locator('input[type="file"]').setInputFiles(coffee);
      await page.getByTestId("current-image").waitFor();
      await page.locator('[data-testid="tool"][data-generator="erase"][data-available="true"]').click();

      const canvas = page.getByTestId("mask-canvas");
      await canvas.waitFor();
      expect(await canvas.evaluate((element) => getComputedStyle(element).touchAction)).toBe("none");
      const run = page.getByRole("button", {
        name: t("generator.run", { title: t("generators.erase.title"), price: 4 }),
        exact: true,
      });
      expect(await run.isDisabled(), "nothing painted yet").toBe(true);

      // One stroke with the mouse across the middle; a dab with the keyboard, taken back again.
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
      await page.mouse.down();
      for (let step = 1; step <= 10; step++)
        await page.mouse.move(box.x + box.width * (0.3 + 0.04 * step), box.y + box.height * 0.5);
      await page.mouse.up();
      await expect.poll(() => canvas.getAttribute("data-strokes")).toBe("1");
      await canvas.focus();
      await page.keyboard.press("ArrowUp");
      await page.keyboard.press("Space");
      await expect.poll(() => canvas.getAttribute("data-strokes")).toBe("2");
      await page.getByRole("button", { name: t("studio.mask.undo"), exact: true }).click();
      await expect.poll(() => canvas.getAttribute("data-strokes")).toBe("1");
      await shot(page, "erase-mask-desktop-en.png");
      await page.setViewportSize({ width: 375, height: 812 });
      await noHorizontalScroll(page, "erase-mask-phone-en");
      await page.setViewportSize({ width: 1280, height: 900 });

      await run.click();
      await page
        .locator('[data-testid="history-step"][data-state="current"][data-generator="erase"]')
        .waitFor({ timeout: 90_000 });
      await balanceIs(page, 46);

      // The job got the image and the uploaded mask: the image's size, white on the stroke only.
      const jobId = new URL(page.url()).searchParams.get("s")?.split(".")[1];
      const { job } = (await (await page.request.get(`/api/v1/jobs/${jobId}`)).json()) as { job: Job };
      expect(job.generator).toBe("erase");
      const { asset: mask } = (await (await page.request.get(`/api/v1/assets/${String(job.inputs.mask)}`)).json()) as {
        asset: Asset;
      };
      expect([mask.width, mask.height]).toEqual([600, 400]);
      const maskPixels = await sharp(Buffer.from(await (await page.request.get(mask.url)).body()))
        .greyscale()
        .raw()
        .toBuffer();
      expect(maskPixels[200 * 600 + 300], "the middle of the stroke").toBe(255);
      expect(maskPixels[20 * 600 + 20], "a corner nobody painted").toBe(0);

      // OpenAI received the image and a mask (transparent = change) from the brushed area.
      const edits = (await fake.imageRequests()).filter((r) => r.endpoint === "edits" && r.mask);
      expect(edits).toHaveLength(1);
      const alpha = await sharp(edits[0]!.mask!)
        .ensureAlpha()
        .extractChannel(3)
        .raw()
        .toBuffer({ resolveWithObject: true });
      const transparent = alpha.data.filter((value) => value === 0).length;
      expect(transparent).toBeGreaterThan(0);
      expect(transparent).toBeLessThan(alpha.data.length / 2);

      // The fake fills the masked area green; the result keeps it there and the photo elsewhere.
      const output = job.outputs[0]!;
      const { data, info } = await sharp(Buffer.from(await (await page.request.get(output.url)).body()))
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const pixel = (x: number, y: number) => [
        ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
      ];
      const [r, g, b] = pixel(Math.round(info.width / 2), Math.round(info.height / 2));
      expect(g! > 200 && r! < 80 && b! < 80, `the erased middle is the fake's fill, got ${[r, g, b].join(",")}`).toBe(
        true,
      );

      // The mask is not offered as an image to edit.
      await page.reload();
      await page.getByTestId("current-image").or(page.getByTestId("compare")).first().waitFor();
      expect(await page.getByTestId("strip-item").count()).toBe(1);
    });
  });
});

test.describe("with a webhook provider that makes videos", () => {
  const secret = "e2e-webhook-secret";
  let fake: WebhookFake;
  test.beforeAll(async () => {
    fake = await startWebhookFake({ secret, answer: { kind: "videoUrl" } });
  });
  test.afterAll(async () => {
    await fake?.close();
  });
  const env: Env = serverFor(() => ({ WEBHOOK_PROVIDER_URL: fake.webhookUrl, WEBHOOK_PROVIDER_SECRET: secret }));

  test("ad video: priced by length; the video plays on the page, after a reload and in the gallery; a second one is canceled", async () => {
    await inContext(env, "ad-video", async (page) => {
      await signUp(page, t, `ad-video-${Date.now()}@example.com`);
      await page.goto("/generators/ad-video");
      await page
        .getByTestId("slow-note")
        .filter({ hasText: t("generatorPages.slowNote") })
        .waitFor();
      await page.getByRole("heading", { name: t("generatorPages.uploadProduct"), exact: true }).waitFor();
      await page.locator('input[type="file"]').setInputFiles(coffee);
      await page.getByTestId("upload-preview").waitFor();
      await page
        .getByLabel(t("fields.prompt"), { exact: true })
        .fill("The espresso cup slowly turns on a wooden table");
      const title = t("generators.ad-video.title");
      await page.getByRole("button", { name: t("generator.run", { title, price: 10 }), exact: true }).waitFor();
      await page.getByLabel(t("fields.durationSeconds"), { exact: true }).selectOption("10");
      await page.getByRole("button", { name: t("generator.run", { title, price: 20 }), exact: true }).click();

      const result = page
        .locator('[data-testid="generator-result"]:is([data-status="succeeded"],[data-status="failed"])')
        .first();
      await result.waitFor({ timeout: 90_000 });
      expect(await result.getAttribute("data-status"), await result.innerText()).toBe("succeeded");
      await balanceIs(page, 30);
      expect(fake.payloads.map((p) => p.capability)).toContain("image-to-video");

      const checkVideo = async (video: ReturnType<Page["locator"]>) => {
        await video.waitFor();
        expect(await video.getAttribute("controls")).not.toBeNull();
        expect(await video.getAttribute("playsinline")).not.toBeNull();
        const src = (await video.getAttribute("src")) ?? "";
        expect(src).toMatch(/^\/api\/v1\/assets\/[0-9a-f-]+\/file\?/);
        const file = await page.request.get(src);
        expect(file.headers()["content-type"]).toBe("video/mp4");
      };
      await checkVideo(result.getByTestId("output-video"));
      await result.getByRole("link", { name: t("common.download"), exact: true }).waitFor();
      await shot(page, "ad-video-desktop-en.png");

      // Closed and come back: the job and its video are recovered from the server.
      await page.reload();
      await checkVideo(
        page.locator('[data-testid="generator-result"][data-status="succeeded"]').first().getByTestId("output-video"),
      );

      // The gallery plays it too, from its file (no /i/ image transformation).
      await page.goto("/gallery");
      await checkVideo(page.locator('[data-testid="gallery-item"][data-mime="video/mp4"]').getByTestId("output-video"));

      // A second video that never finishes: canceled from its card, its 10 credits come back.
      fake.answer = { kind: "task", pollsUntilDone: 10_000, final: { kind: "videoUrl" } };
      await page.goto("/generators/ad-video");
      await page.locator('input[type="file"]').setInputFiles(coffee);
      await page.getByTestId("upload-preview").waitFor();
      await page.getByLabel(t("fields.prompt"), { exact: true }).fill("The cup steams gently");
      await page.getByRole("button", { name: t("generator.run", { title, price: 10 }), exact: true }).click();
      const running = page
        .locator('[data-testid="generator-result"]:is([data-status="queued"],[data-status="running"])')
        .first();
      await running
        .getByTestId("running-note")
        .filter({ hasText: t("generatorPages.slowRunning") })
        .waitFor();
      await balanceIs(page, 20);
      await running.getByRole("button", { name: t("jobs.cancel"), exact: true }).click();
      const canceled = page.locator('[data-testid="generator-result"][data-status="canceled"]').first();
      await canceled
        .getByTestId("not-charged")
        .filter({ hasText: t("jobs.notCharged") })
        .waitFor();
      await balanceIs(page, 30);
    });
  });
});
