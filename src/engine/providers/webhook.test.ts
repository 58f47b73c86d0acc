import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { startLoopback, type Loopback } from "../../../tests/fakes/loopback";
import { fakeResultSize, startWebhookFake, type WebhookAnswer, type WebhookFake } from "../../../tests/fakes/webhook";
import { runCapability } from "../../../tests/support/run-capability";
import type { SavedTask } from "../pipeline";
import { AppError } from "@/server/errors";
import { imageOutput } from "./output";
import { generativeCapabilities } from "./capabilities";
import type { ProviderAdapter } from "./types";
import { createWebhookAdapter, webhookSignature } from "./webhook";

const adapter = createWebhookAdapter({ firstPollMs: 5, maxPollMs: 20 });
const coffee = readFileSync("tests/fixtures/images/coffee.png");
const secret = "whsec-test-0123456789";

const backup: ProviderAdapter = {
  id: "backup",
  name: "backup",
  settings: [],
  models: [],
  capabilities: ["edit-by-prompt"],
  create: () => ({
    id: "backup",
    capabilities: {
      "edit-by-prompt": async () =>
        imageOutput(
          await sharp({ create: { width: 5, height: 5, channels: 3, background: "blue" } })
            .png()
            .toBuffer(),
        ),
    },
  }),
  testConnection: async () => undefined,
};

let fake: WebhookFake | undefined;
let other: Loopback | undefined;
afterEach(async () => {
  await fake?.close();
  await other?.close();
  fake = other = undefined;
});

async function start(answer: WebhookAnswer, fakeSecret: string | undefined = secret) {
  fake = await startWebhookFake({ secret: fakeSecret, answer });
  return fake;
}

const webhook = (f: WebhookFake, configSecret: string | undefined = secret) => ({
  adapter,
  config: { url: f.webhookUrl, secret: configSecret },
});

const edit = (f: WebhookFake, extra: Partial<Parameters<typeof runCapability>[0]> = {}) =>
  runCapability({
    adapters: [webhook(f)],
    capability: "edit-by-prompt",
    image: coffee,
    stepOptions: { prompt: "make it blue" },
    ...extra,
  });

describe("webhook adapter", () => {
  it("posts the signed contract payload and takes an image body as the result", async () => {
    const f = await start({ kind: "image" });
    const mask = await sharp({ create: { width: 600, height: 400, channels: 3, background: "white" } })
      .png()
      .toBuffer();
    const result = await runCapability({
      adapters: [webhook(f)],
      capability: "inpaint",
      image: coffee,
      assets: { "mask-7": mask },
      stepOptions: { prompt: "a cat", maskAssetId: "mask-7" },
    });
    expect(result.outputs[0]).toMatchObject({ ...fakeResultSize, mime: "image/png" });
    expect(result).toMatchObject({ provider: "webhook", costMicros: 0 });
    expect(f.badSignatures).toBe(0);
    const [payload] = f.payloads;
    expect(payload).toMatchObject({ capability: "inpaint", options: { prompt: "a cat", maskAssetId: "mask-7" } });
    expect(payload!.image).toBe(`data:image/png;base64,${coffee.toString("base64")}`);
    expect(payload!.assets).toEqual({ "mask-7": `data:image/png;base64,${mask.toString("base64")}` });
    expect(typeof payload!.jobRef).toBe("string");
    // The signature covers the exact raw body.
    const request = f.requests.find((r) => r.method === "POST")!;
    const timestamp = String(request.headers["x-pixelwerk-timestamp"]);
    expect(request.headers["x-pixelwerk-signature"]).toBe(webhookSignature(secret, timestamp, request.body.toString()));
  });

  it("sends a text-to-image job without an image", async () => {
    const f = await start({ kind: "image" });
    await runCapability({
      adapters: [webhook(f)],
      capability: "text-to-image",
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(f.payloads[0]).toMatchObject({ capability: "text-to-image", image: null, assets: {} });
  });

  it("fetches an imageUrl on its own origin and records the cost it reports", async () => {
    const f = await start({ kind: "imageUrl", costMicros: 12_345 });
    const result = await edit(f);
    expect(result.outputs[0]).toMatchObject(fakeResultSize);
    expect(result.costMicros).toBe(12_345);
    expect(result.calls[0]).toMatchObject({ provider: "webhook", outcome: "succeeded", costMicros: 12_345 });
    expect(f.count("GET", "/files/result.png")).toBe(1);
  });

  it("takes every entry of images, data URLs and URLs alike", async () => {
    const f = await start({ kind: "images", count: 3 });
    const result = await runCapability({
      adapters: [webhook(f)],
      capability: "text-to-image",
      stepOptions: { prompt: "x", aspectRatio: "1:1", count: 3 },
    });
    expect(result.outputs).toHaveLength(3);
    expect(f.count("GET", "/files/")).toBe(2);
  });

  it("takes a videoUrl (relative to the webhook) for image-to-video, sized like the source image", async () => {
    const f = await start({ kind: "videoUrl" });
    const result = await runCapability({
      adapters: [webhook(f)],
      capability: "image-to-video",
      image: coffee,
      stepOptions: { prompt: "slow zoom", durationSeconds: 5, aspectRatio: "16:9" },
    });
    expect(result.outputs[0]).toMatchObject({ mime: "video/mp4", ext: "mp4", width: 600, height: 400 });
  });

  it("refuses a result URL on another private address without fetching it", async () => {
    other = await startLoopback((_request, response) => {
      response.writeHead(200, { "content-type": "image/png" }).end("x");
    });
    const f = await start({ kind: "imageUrl", url: `${other.url}/internal.png` });
    const error = await edit(f).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: "malformed" });
    expect(other.requests).toHaveLength(0);
  });

  it("polls a task with signed GETs until the result, saving the task and reporting progress", async () => {
    const f = await start({ kind: "task", pollsUntilDone: 3, final: { kind: "imageUrl", costMicros: 500 } });
    const saved: SavedTask[] = [];
    const result = await edit(f, { saveTask: async (task) => void saved.push(task) });
    expect(result.outputs[0]).toMatchObject(fakeResultSize);
    expect(result.costMicros).toBe(500);
    const [taskId] = [...f.tasks.keys()];
    expect(f.tasks.get(taskId!)!.polls).toBe(4);
    expect(f.badSignatures).toBe(0);
    const jobRef = f.payloads[0]!.jobRef;
    expect(saved.map((s) => s.state)).toEqual([
      { jobRef },
      { jobRef, taskId, pollUrl: `${f.url}/webhook/pixelwerk/tasks/${taskId}` },
    ]);
    // The fake's progress (1/4, 2/4, 3/4 of the step) reached the job (whose steps span 0..95 %).
    expect(result.progress).toEqual(expect.arrayContaining([24, 48, 71]));
  });

  it("rides out a few failed polls of a task, then gives up after four in a row", async () => {
    const f = await start({ kind: "task", pollsUntilDone: 1, final: { kind: "image" } });
    f.pollFailures = 3;
    expect((await edit(f)).outputs).toHaveLength(1);
    expect(f.count("POST", "/webhook")).toBe(1);
    f.pollFailures = 4;
    const saved: SavedTask[] = [];
    const result = await edit(f, { saveTask: async (task) => void saved.push(task) });
    expect(result.calls[0]).toMatchObject({ failure: "retriable", message: expect.stringMatching(/answered 503/) });
    expect(result.calls[1]).toMatchObject({ outcome: "succeeded" });
  });

  it("resumes a saved task without submitting again", async () => {
    const f = await start({ kind: "task", pollsUntilDone: 1, final: { kind: "image" } });
    const saved: SavedTask[] = [];
    await edit(f, { saveTask: async (task) => void saved.push(task) });
    const posts = f.count("POST", "/webhook");
    f.tasks.get(saved[1]!.state.taskId as string)!.polls = 0;
    const resumed = await edit(f, { savedTask: saved[1] });
    expect(resumed.outputs[0]).toMatchObject(fakeResultSize);
    expect(f.count("POST", "/webhook")).toBe(posts);
  });

  it("keeps the jobRef of a crashed attempt that had not got its task yet", async () => {
    const f = await start({ kind: "image" });
    await edit(f, { savedTask: { step: 0, provider: "webhook", state: { jobRef: "job-ref-1" } } });
    expect(f.payloads[0]!.jobRef).toBe("job-ref-1");
  });

  it("refuses a pollUrl on another origin", async () => {
    const f = await start({
      kind: "task",
      pollsUntilDone: 0,
      final: { kind: "image" },
      pollUrl: () => "http://169.254.169.254/latest",
    });
    await expect(edit(f)).rejects.toMatchObject({
      failure: "malformed",
      message: expect.stringMatching(/pollUrl must be on/),
    });
  });

  it("is refused with a wrong secret (401) and falls back to the next provider at once", async () => {
    const f = await start({ kind: "image" });
    const result = await runCapability({
      adapters: [webhook(f, "not-the-secret"), { adapter: backup, config: {} }],
      capability: "edit-by-prompt",
      image: coffee,
      stepOptions: { prompt: "x" },
    });
    expect(result.provider).toBe("backup");
    expect(result.calls[0]).toMatchObject({ provider: "webhook", failure: "misconfigured" });
    expect(f.badSignatures).toBe(1);
    expect(f.payloads).toHaveLength(0);
  });

  it("fails unsigned requests at a receiver that expects a signature", async () => {
    const f = await start({ kind: "image" });
    await expect(edit(f, { adapters: [webhook(f, "")] })).rejects.toMatchObject({
      failure: "misconfigured",
      status: 401,
    });
  });

  it("turns a blocked answer into content_blocked that costs nothing", async () => {
    const f = await start({
      kind: "task",
      pollsUntilDone: 1,
      final: { kind: "failed", error: "nsfw content", blocked: true },
    });
    const error = await edit(f).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "content_blocked", message: "nsfw content" });
    expect(f.count("POST", "/webhook")).toBe(1);
  });

  it("retries a failed workflow and a 5xx, then gives up with the webhook's message", async () => {
    const f = await start({ kind: "failed", error: "upstream timeout", status: 503 });
    await expect(edit(f)).rejects.toMatchObject({
      failure: "retriable",
      message: expect.stringMatching(/503: upstream timeout/),
    });
    expect(f.count("POST", "/webhook")).toBe(2);
    f.answer = { kind: "failed", error: "the model crashed" };
    await expect(edit(f)).rejects.toMatchObject({
      failure: "retriable",
      message: expect.stringMatching(/the model crashed/),
    });
    expect(f.count("POST", "/webhook")).toBe(4);
  });

  it("serves every generative capability with any model family", () => {
    expect(adapter.capabilities).toEqual([...generativeCapabilities]);
    expect(Object.keys(adapter.create({ url: "http://x" }).capabilities)).toEqual([...generativeCapabilities]);
  });

  it("tests the connection with a signed ping", async () => {
    const f = await start({ kind: "image" });
    await expect(
      adapter.testConnection({ url: f.webhookUrl, secret }, AbortSignal.timeout(5000)),
    ).resolves.toBeUndefined();
    expect(f.payloads.at(-1)).toEqual({ capability: "ping" });
    await expect(
      adapter.testConnection({ url: f.webhookUrl, secret: "wrong" }, AbortSignal.timeout(5000)),
    ).rejects.toMatchObject({
      failure: "misconfigured",
    });
    await expect(
      adapter.testConnection({ url: `${f.url}/webhook/unknown`, secret }, AbortSignal.timeout(5000)),
    ).rejects.toMatchObject({
      failure: "misconfigured",
      status: 404,
    });
  });
});
