import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs, providerCalls } from "@/server/db/schema";
import { comfyStandardModels, startComfyUiFake, type ComfyUiFake } from "../fakes/comfyui";
import { startWebhookFake, type WebhookFake } from "../fakes/webhook";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob, type JobBody } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Job = JobBody & { price: number; outputs: (JobBody["outputs"][number] & { mime: string })[] };
type Account = { balance: number; held: number };

/**
 * The generative generators through the real app (HTTP, database, queue, worker) with a ComfyUI
 * server and an n8n-style webhook configured by environment, both fakes on loopback.
 */
describe("ComfyUI and webhook providers over HTTP", () => {
  const secret = "whsec-integration-0123456789";
  let comfy: ComfyUiFake;
  let hook: WebhookFake;
  let server: TestServer;
  let user: TestUser;
  let photoId: string;
  let maskId: string;

  async function upload(bytes: Buffer, name: string): Promise<string> {
    const answer = await user.json<{ asset: { id: string } }>("/api/v1/assets", uploadBody(bytes, name, "image/png"));
    expect(answer.status).toBe(201);
    return answer.body.asset.id;
  }

  async function run(generator: string, inputs: Record<string, unknown>): Promise<Job> {
    const submitted = await user.json<{ job: Job; error?: unknown }>("/api/v1/jobs", jsonBody({ generator, inputs }));
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    await waitForJob(user, submitted.body.job.id, 60_000);
    return (await user.json<{ job: Job }>(`/api/v1/jobs/${submitted.body.job.id}`)).body.job;
  }

  const account = async () => (await user.json<{ account: Account }>("/api/v1/ledger")).body.account;
  const jobRow = async (id: string) => (await server.rt.db.select().from(jobs).where(eq(jobs.id, id)))[0]!;
  const callsOf = async (id: string) =>
    (await server.rt.db.select().from(providerCalls).where(eq(providerCalls.jobId, id))).sort(
      (a, b) => a.attempt - b.attempt || a.callIndex - b.callIndex,
    );
  /** ComfyUI serves image-to-video too; without the Wan model it refuses, so the webhook's failures stay failures. */
  async function withoutComfyVideo(test: () => Promise<void>) {
    comfy.options.models = comfyStandardModels.filter((model) => !model.startsWith("wan2.2_ti2v"));
    try {
      await test();
    } finally {
      comfy.options.models = undefined;
    }
  }

  beforeAll(async () => {
    comfy = await startComfyUiFake({ pollsUntilDone: 2 });
    hook = await startWebhookFake({ secret, answer: { kind: "image" } });
    server = await startTestServer({
      env: {
        COMFYUI_URL: comfy.url,
        WEBHOOK_PROVIDER_URL: hook.webhookUrl,
        WEBHOOK_PROVIDER_SECRET: secret,
        // One call per provider per attempt, one job retry: the resume test counts submissions.
        PROVIDER_ATTEMPTS: "1",
        PROVIDER_RETRY_DELAY_MS: "10",
        JOB_RETRY_LIMIT: "1",
        JOB_RETRY_DELAY_SECONDS: "1",
      },
    });
    user = await signUpAndIn(server.baseUrl);
    photoId = await upload(readFileSync("tests/fixtures/images/coffee.png"), "coffee.png");
    const mask = await sharp({ create: { width: 600, height: 400, channels: 3, background: "black" } })
      .composite([
        { input: { create: { width: 100, height: 100, channels: 3, background: "white" } }, left: 250, top: 150 },
      ])
      .png()
      .toBuffer();
    maskId = await upload(mask, "mask.png");
  });
  afterAll(async () => {
    await server?.close();
    await comfy?.close();
    await hook?.close();
  });

  it("generates FLUX schnell images on ComfyUI at the model's price per image", async () => {
    const before = await account();
    const job = await run("text-to-image", {
      prompt: "a lighthouse at dawn",
      model: "flux-schnell",
      aspectRatio: "16:9",
      count: 2,
    });
    expect(job).toMatchObject({ status: "succeeded", price: 2 });
    expect(job.outputs).toHaveLength(2);
    expect(job.outputs[0]).toMatchObject({ width: 1344, height: 768, mime: "image/png" });
    expect(await account()).toMatchObject({ balance: before.balance - 2, held: 0 });
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ provider: "comfyui", model: "flux1-schnell-fp8", providerCostMicros: 0 });
    expect(comfy.prompts.at(-1)!.workflow["6"]!.inputs.text).toBe("a lighthouse at dawn");
    expect(hook.payloads).toHaveLength(0);
  });

  it("erases with ComfyUI's inpainting workflow: the mask is uploaded, the size kept", async () => {
    const uploadsBefore = comfy.count("POST", "/upload/image");
    const job = await run("erase", { image: photoId, mask: maskId });
    expect(job).toMatchObject({ status: "succeeded", price: 4 });
    expect(job.outputs[0]).toMatchObject({ width: 600, height: 400 });
    expect(comfy.count("POST", "/upload/image")).toBe(uploadsBefore + 2);
    expect(comfy.prompts.at(-1)!.workflow["3"]!.class_type).toBe("LoadImageMask");
  });

  it("upscales 2x with ComfyUI", async () => {
    const job = await run("ai-upscale", { image: photoId, scale: 2 });
    expect(job).toMatchObject({ status: "succeeded", price: 3 });
    expect(job.outputs[0]).toMatchObject({ width: 1200, height: 800 });
    expect((await jobRow(job.id)).provider).toBe("comfyui");
  });

  it("falls back from a ComfyUI missing the model to the webhook", async () => {
    comfy.options.models = [];
    hook.answer = { kind: "image" };
    try {
      const job = await run("erase", { image: photoId, mask: maskId });
      expect(job.status).toBe("succeeded");
      expect((await jobRow(job.id)).provider).toBe("webhook");
      const calls = await callsOf(job.id);
      expect(calls.map((c) => [c.provider, c.outcome, c.failure])).toEqual([
        ["comfyui", "failed", "misconfigured"],
        ["webhook", "succeeded", null],
      ]);
      expect(calls[0]!.message).toMatch(/Value not in list/);
      expect(hook.payloads.at(-1)).toMatchObject({ capability: "inpaint", options: { maskAssetId: maskId } });
      expect(Object.keys(hook.payloads.at(-1)!.assets as object)).toEqual([maskId]);
    } finally {
      comfy.options.models = undefined;
    }
  });

  it("makes an ad video through the webhook's async task and records the cost it reports", async () => {
    hook.answer = { kind: "task", pollsUntilDone: 2, final: { kind: "videoUrl", costMicros: 420_000 } };
    const before = await account();
    const job = await run("ad-video", { image: photoId, prompt: "coffee steaming on a table", durationSeconds: 5 });
    expect(job).toMatchObject({ status: "succeeded", price: 10 });
    expect(job.outputs[0]).toMatchObject({ mime: "video/mp4", width: 600, height: 400 });
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ provider: "webhook", providerCostMicros: 420_000 });
    expect(row.providerTask).toMatchObject({
      step: 0,
      provider: "webhook",
      state: { taskId: expect.any(String), pollUrl: expect.any(String) },
    });
    expect(hook.payloads.at(-1)).toMatchObject({
      capability: "image-to-video",
      options: { durationSeconds: 5, aspectRatio: "9:16" },
    });
    expect(await account()).toMatchObject({ balance: before.balance - 10, held: 0 });
  });

  it("resumes the saved webhook task on the job's retry instead of submitting again", () =>
    withoutComfyVideo(async () => {
      hook.answer = { kind: "task", pollsUntilDone: 0, final: { kind: "videoUrl" } };
      // Every poll of the first attempt fails, so it gives up; the job's retry must poll the same task.
      hook.pollFailures = 4;
      const posts = hook.count("POST", "/webhook");
      const job = await run("ad-video", { image: photoId, prompt: "a slow pan over the cup", durationSeconds: 5 });
      expect(job).toMatchObject({ status: "succeeded", attempts: 2 });
      expect(hook.count("POST", "/webhook")).toBe(posts + 1);
      expect(hook.pollFailures).toBe(0);
      const calls = await callsOf(job.id);
      expect(calls.map((c) => [c.attempt, c.provider, c.outcome, c.failure]).sort()).toEqual([
        [1, "comfyui", "failed", "misconfigured"],
        [1, "webhook", "failed", "retriable"],
        [2, "webhook", "succeeded", null],
      ]);
    }));

  it("fails a blocked request with content_blocked and charges nothing", async () => {
    hook.answer = {
      kind: "task",
      pollsUntilDone: 1,
      final: { kind: "failed", error: "the prompt violates the content policy", blocked: true },
    };
    const before = await account();
    const job = await run("ad-video", { image: photoId, prompt: "something the vendor refuses" });
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("content_blocked");
    expect(job.attempts).toBe(1);
    expect(await account()).toMatchObject({ balance: before.balance, held: 0 });
  });

  it("fails when the receiver refuses our signature (a rotated secret), credits given back", () =>
    withoutComfyVideo(async () => {
      hook.answer = { kind: "videoUrl" };
      hook.secret = "rotated-on-the-n8n-side";
      const bad = hook.badSignatures;
      const before = await account();
      try {
        const job = await run("ad-video", { image: photoId, prompt: "coffee beans falling" });
        expect(job.status).toBe("failed");
        expect(job.error?.code).toBe("provider_unavailable");
        expect(hook.badSignatures).toBeGreaterThan(bad);
        const calls = await callsOf(job.id);
        expect(new Set(calls.map((c) => c.provider))).toEqual(new Set(["webhook", "comfyui"]));
        expect(calls.every((c) => c.failure === "misconfigured")).toBe(true);
        expect(await account()).toMatchObject({ balance: before.balance, held: 0 });
      } finally {
        hook.secret = secret;
      }
    }));

  it("hands the ad video to ComfyUI's Wan workflow when the webhook refuses our signature", async () => {
    hook.answer = { kind: "videoUrl" };
    hook.secret = "rotated-on-the-n8n-side";
    try {
      const job = await run("ad-video", { image: photoId, prompt: "coffee beans falling", aspectRatio: "1:1" });
      expect(job).toMatchObject({ status: "succeeded", price: 10 });
      expect(job.outputs[0]).toMatchObject({ mime: "video/mp4", width: 960, height: 960 });
      expect(await jobRow(job.id)).toMatchObject({ provider: "comfyui", providerCostMicros: 0 });
      expect((await callsOf(job.id)).map((c) => [c.provider, c.outcome, c.failure]).sort()).toEqual([
        ["comfyui", "succeeded", null],
        ["webhook", "failed", "misconfigured"],
      ]);
      expect(comfy.prompts.at(-1)!.workflow["6"]!.inputs.text).toMatch(
        /^A short, polished advertising clip: coffee beans falling\./,
      );
    } finally {
      hook.secret = secret;
    }
  });
});
