import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { startComfyUiFake, type ComfyUiFake } from "../../../tests/fakes/comfyui";
import { runCapability } from "../../../tests/support/run-capability";
import type { SavedTask } from "../pipeline";
import { createComfyUiAdapter } from "./comfyui";
import { ProviderError } from "./errors";
import { imageOutput } from "./output";
import type { ProviderAdapter } from "./types";

const adapter = createComfyUiAdapter({ firstPollMs: 5, maxPollMs: 20 });
const coffee = readFileSync("tests/fixtures/images/coffee.png");

/** A second provider to fall back to: a plain adapter with a fixed answer. */
const backup: ProviderAdapter = {
  id: "backup",
  name: "backup",
  settings: [],
  models: [],
  capabilities: ["text-to-image", "inpaint"],
  create: () => ({
    id: "backup",
    capabilities: {
      "text-to-image": async () =>
        imageOutput(
          await sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } })
            .png()
            .toBuffer(),
        ),
    },
  }),
  testConnection: async () => undefined,
};

let fake: ComfyUiFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const comfy = (f: ComfyUiFake, apiKey?: string) => ({ adapter, config: { url: f.url, apiKey } });
const submitted = (f: ComfyUiFake) => JSON.parse(f.requests.find((r) => r.path === "/prompt")!.body.toString());

async function oddSizedImage(): Promise<Buffer> {
  // 301 × 203: not a multiple of 8, as real photos often are not.
  return sharp(coffee).resize(301, 203, { fit: "fill" }).png().toBuffer();
}

describe("ComfyUI adapter", () => {
  it("generates a FLUX schnell batch: the prompt queued as typed JSON values, polled until done, every image downloaded", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 3 });
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "text-to-image",
      family: "flux-schnell",
      stepOptions: { prompt: "a red fox", negativePrompt: "dogs", aspectRatio: "16:9", count: 2, seed: 42 },
    });
    expect(result.outputs).toHaveLength(2);
    expect(result.outputs[0]).toMatchObject({ width: 1344, height: 768, mime: "image/png" });
    expect(result).toMatchObject({ provider: "comfyui", model: "flux1-schnell-fp8", costMicros: 0 });

    const body = submitted(fake);
    expect(typeof body.client_id).toBe("string");
    expect(body.prompt["6"].inputs.text).toBe("a red fox");
    expect(body.prompt["7"].inputs.text).toBe("dogs");
    expect(body.prompt["3"].inputs.seed).toBe(42);
    expect(body.prompt["5"].inputs).toEqual({ width: 1344, height: 768, batch_size: 2 });
    expect(body.prompt["4"].inputs.ckpt_name).toBe("flux1-schnell-fp8.safetensors");
    expect(fake.count("GET", `/history/${fake.prompts[0]!.id}`)).toBe(4);
    // Outputs live in SaveImage's subfolder: /view must name it.
    const views = fake.requests.filter((r) => r.path.startsWith("/view"));
    expect(views).toHaveLength(2);
    expect(new URL(views[0]!.path, "http://x").searchParams.get("subfolder")).toBe("pixelwerk");
    // Progress grew while it polled.
    expect(new Set(result.progress).size).toBeGreaterThan(2);
    expect(result.progress).toEqual([...result.progress].sort((a, b) => a - b));
  });

  it("keeps a hostile prompt inside its JSON string and leaves placeholders in it literal", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 0 });
    const prompt = 'x", "class_type": "Evil", "seed": "{{seed}}';
    await runCapability({
      adapters: [comfy(fake)],
      capability: "text-to-image",
      stepOptions: { prompt, aspectRatio: "1:1", count: 1, seed: 7 },
    });
    const body = submitted(fake);
    expect(body.prompt["6"]).toEqual({
      class_type: "CLIPTextEncode",
      inputs: { text: prompt, clip: ["4", 1] },
      _meta: { title: "Prompt" },
    });
    expect(Object.keys(body.prompt).sort()).toEqual(["3", "4", "5", "6", "7", "8", "9"]);
    expect(body.prompt["3"].inputs.seed).toBe(7);
  });

  it("inpaints: uploads the image and the mask, and answers at the input's exact size", async () => {
    fake = await startComfyUiFake();
    const image = await oddSizedImage();
    const mask = await sharp({ create: { width: 301, height: 203, channels: 3, background: "black" } })
      .png()
      .toBuffer();
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "inpaint",
      image,
      assets: { "mask-1": mask },
      stepOptions: { prompt: "", maskAssetId: "mask-1" },
    });
    expect(result.outputs[0]).toMatchObject({ width: 301, height: 203 });

    const uploads = fake.requests.filter((r) => r.path === "/upload/image");
    expect(uploads).toHaveLength(2);
    const text = uploads[0]!.body.toString("latin1");
    expect(text).toMatch(/name="image"; filename="pixelwerk-[0-9a-f]{32}\.png"/);
    expect(text).toMatch(/name="type"\r\n\r\ninput\r\n/);
    expect(text).toMatch(/name="overwrite"\r\n\r\ntrue\r\n/);
    const body = submitted(fake);
    expect([...fake.uploads.keys()]).toEqual(
      expect.arrayContaining([body.prompt["2"].inputs.image, body.prompt["3"].inputs.image]),
    );
    expect(fake.uploads.get(body.prompt["3"].inputs.image)).toEqual(mask);
    expect(body.prompt["3"].inputs.channel).toBe("red");
    expect(body.prompt["4"].inputs.text).toBe("");
  });

  it("outpaints by the asked fraction per side", async () => {
    fake = await startComfyUiFake();
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "outpaint",
      image: await oddSizedImage(),
      stepOptions: { prompt: "more beach", expand: { top: 0.05, right: 0.25, bottom: 0, left: 0.25 } },
    });
    // Fractions of the 301 × 203 image become pixels: 75 left and right, 10 on top.
    expect(submitted(fake).prompt["3"].inputs).toMatchObject({ left: 75, top: 10, right: 75, bottom: 0 });
    expect(result.outputs[0]).toMatchObject({ width: 451, height: 213 });
  });

  it.each([2, 4] as const)("upscales %ix with Real-ESRGAN and the matching scale-down", async (scale) => {
    fake = await startComfyUiFake();
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "upscale",
      image: coffee,
      stepOptions: { scale },
    });
    expect(result.outputs[0]).toMatchObject({ width: 600 * scale, height: 400 * scale });
    expect(submitted(fake).prompt["4"].inputs.scale_by).toBe(scale / 4);
  });

  it("edits by prompt with FLUX Kontext, one latent per image asked for", async () => {
    fake = await startComfyUiFake();
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "edit-by-prompt",
      image: coffee,
      stepOptions: { prompt: "make it night", count: 3 },
    });
    expect(result.outputs).toHaveLength(3);
    expect(result.outputs[0]).toMatchObject({ width: 1024, height: 1024 });
    expect(submitted(fake).prompt["6"].inputs.text).toBe("make it night");
    expect(submitted(fake).prompt["125"].inputs.amount).toBe(3);
  });

  it("treats a workflow ComfyUI refuses (a missing model) as misconfigured and falls back at once", async () => {
    fake = await startComfyUiFake({ models: ["sd_xl_base_1.0.safetensors"] });
    const result = await runCapability({
      adapters: [comfy(fake), { adapter: backup, config: {} }],
      capability: "text-to-image",
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(result.provider).toBe("backup");
    expect(result.calls[0]).toMatchObject({ provider: "comfyui", outcome: "failed", failure: "misconfigured" });
    expect(result.calls[0]!.message).toMatch(
      /node 4 \(CheckpointLoaderSimple\): Value not in list: ckpt_name: 'flux1-schnell-fp8.safetensors'/,
    );
    expect(fake.count("POST", "/prompt")).toBe(1);
  });

  it("retries a workflow that fails while running, then reports ComfyUI's message", async () => {
    fake = await startComfyUiFake({ executionError: "CUDA out of memory" });
    const error = await runCapability({
      adapters: [comfy(fake)],
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 2 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ failure: "retriable" });
    expect((error as Error).message).toMatch(/KSampler: CUDA out of memory/);
    expect(fake.count("POST", "/prompt")).toBe(2);
  });

  it("rides out a few failed history polls without queueing the prompt again", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 1, historyFailures: 3 });
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 2 },
    });
    expect(result.outputs).toHaveLength(1);
    expect(fake.count("POST", "/prompt")).toBe(1);
  });

  it("after four failed history polls in a row, the retry polls the same prompt instead of paying for a new one", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 0, historyFailures: 4 });
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 2 },
    });
    // The first attempt gave up polling; the pipeline's retry picked up the prompt it had saved.
    expect(result.calls[0]).toMatchObject({
      provider: "comfyui",
      failure: "retriable",
      message: expect.stringMatching(/answered 500/),
    });
    expect(result.calls[1]).toMatchObject({ provider: "comfyui", outcome: "succeeded" });
    expect(fake.count("POST", "/prompt")).toBe(1);
  });

  it("saves the prompt id and, resumed, polls the same prompt instead of queueing it again", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 100 });
    const saved: SavedTask[] = [];
    const first = await runCapability({
      adapters: [comfy(fake)],
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 2 },
      timeoutSeconds: 0.3,
      saveTask: async (task) => {
        saved.push(task);
      },
    }).catch((e: unknown) => e);
    expect(first).toMatchObject({ failure: "retriable" });
    expect(saved[0]).toEqual({ step: 0, provider: "comfyui", state: { promptId: fake.prompts[0]!.id } });

    fake.options.pollsUntilDone = 0;
    const prompts = fake.count("POST", "/prompt");
    const uploads = fake.count("POST", "/upload/image");
    const resumed = await runCapability({
      adapters: [comfy(fake)],
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 2 },
      savedTask: saved[0],
    });
    expect(resumed.outputs[0]).toMatchObject({ width: 1200, height: 800 });
    expect(fake.count("POST", "/prompt")).toBe(prompts);
    expect(fake.count("POST", "/upload/image")).toBe(uploads);
  });

  it("queues again when a resumed prompt is unknown to a restarted ComfyUI", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 0 });
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 4 },
      savedTask: { step: 0, provider: "comfyui", state: { promptId: "lost-in-a-restart" } },
    });
    expect(result.outputs[0]).toMatchObject({ width: 2400, height: 1600 });
    expect(fake.count("POST", "/prompt")).toBe(1);
  });

  it("interrupts its own running prompt when the step times out", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 1000 });
    await expect(
      runCapability({
        adapters: [comfy(fake)],
        capability: "upscale",
        image: coffee,
        stepOptions: { scale: 2 },
        timeoutSeconds: 0.3,
      }),
    ).rejects.toMatchObject({ failure: "retriable" });
    await waitFor(() => fake!.interrupts.length >= 1);
    expect(fake.interrupts[0]).toEqual({ prompt_id: fake.prompts[0]!.id });
  });

  it("deletes its waiting prompt from the queue instead of interrupting someone else's", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 1000 });
    // Another client's prompt runs first.
    await fetch(`${fake.url}/prompt`, { method: "POST", body: JSON.stringify({ prompt: {}, client_id: "other" }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await runCapability({
      adapters: [comfy(fake)],
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 2 },
      signal: controller.signal,
    }).catch(() => undefined);
    await waitFor(() => fake!.deleted.length >= 1);
    expect(fake.interrupts).toHaveLength(0);
    expect(fake.deleted).toHaveLength(1);
  });

  it("sends the API key on every request to a ComfyUI behind a proxy, /view included", async () => {
    fake = await startComfyUiFake({ apiKey: "proxy-key", pollsUntilDone: 1 });
    const result = await runCapability({
      adapters: [comfy(fake, "proxy-key")],
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 2 },
    });
    expect(result.outputs).toHaveLength(1);
    expect(fake.requests.every((r) => r.headers.authorization === "Bearer proxy-key")).toBe(true);
    expect(fake.count("GET", "/view")).toBe(1);
  });

  it("falls back when the proxy refuses the key", async () => {
    fake = await startComfyUiFake({ apiKey: "proxy-key" });
    const result = await runCapability({
      adapters: [comfy(fake, "wrong"), { adapter: backup, config: {} }],
      capability: "text-to-image",
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(result.provider).toBe("backup");
    expect(result.calls[0]).toMatchObject({ provider: "comfyui", failure: "misconfigured" });
  });

  it("tests the connection with /system_stats", async () => {
    fake = await startComfyUiFake({ apiKey: "k" });
    await expect(
      adapter.testConnection({ url: fake.url, apiKey: "k" }, AbortSignal.timeout(5000)),
    ).resolves.toBeUndefined();
    await expect(
      adapter.testConnection({ url: fake.url, apiKey: "nope" }, AbortSignal.timeout(5000)),
    ).rejects.toMatchObject({
      failure: "misconfigured",
      status: 401,
    });
    const closed = fake.url;
    await fake.close();
    fake = undefined;
    await expect(adapter.testConnection({ url: closed }, AbortSignal.timeout(5000))).rejects.toMatchObject({
      failure: "retriable",
    });
  });

  it("is only a candidate for text-to-image when FLUX schnell (or no family) is asked for, and serves every other generative capability but background removal", () => {
    expect(adapter.models.map((m) => m.family)).toEqual(["flux-schnell"]);
    expect([...adapter.capabilities!].sort()).toEqual([
      "background-by-prompt",
      "edit-by-prompt",
      "face-restore",
      "image-to-video",
      "inpaint",
      "outpaint",
      "style",
      "upscale",
    ]);
    expect(adapter.settings.map((s) => [s.env, s.required, s.kind === "secret"])).toEqual([
      ["COMFYUI_URL", true, false],
      ["COMFYUI_API_KEY", false, true],
    ]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
