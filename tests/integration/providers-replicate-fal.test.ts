import { readFileSync } from "node:fs";
import { asc, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jobs, providerCalls } from "@/server/db/schema";
import { startFalFake, type FalFake } from "../fakes/fal";
import { startLoopback, type Loopback } from "../fakes/loopback";
import { startReplicateFake, type ReplicateFake } from "../fakes/replicate";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob, type JobBody } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Job = JobBody & {
  price: number;
  provider: string | null;
  model: string | null;
  result: Record<string, unknown> | null;
};

/**
 * The Replicate and fal adapters inside the whole app: jobs submitted over HTTP, run by the worker
 * against the vendors' fakes (their real wire protocols on loopback), with the price table, the
 * fallback between them, the SSRF-safe result fetch and a resumed video task.
 */
describe("Replicate and fal through the API", () => {
  let server: TestServer;
  let replicate: ReplicateFake;
  let fal: FalFake;
  let privateTarget: Loopback;
  let user: TestUser;
  let coffeeId: string;

  const submit = async (generator: string, inputs: Record<string, unknown>) => {
    const answer = await user.json<{ job: Job }>("/api/v1/jobs", jsonBody({ generator, inputs }));
    expect(answer.status).toBe(202);
    return answer.body.job.id;
  };
  const read = async (id: string) => (await user.json<{ job: Job }>(`/api/v1/jobs/${id}`)).body.job;
  const run = async (generator: string, inputs: Record<string, unknown>) => {
    const id = await submit(generator, inputs);
    await waitForJob(user, id, 60_000);
    return read(id);
  };
  const callsOf = (jobId: string) =>
    server.rt.db
      .select()
      .from(providerCalls)
      .where(eq(providerCalls.jobId, jobId))
      .orderBy(asc(providerCalls.attempt), asc(providerCalls.callIndex));
  const jobRow = async (jobId: string) => (await server.rt.db.select().from(jobs).where(eq(jobs.id, jobId)))[0]!;

  beforeAll(async () => {
    [replicate, fal, privateTarget] = await Promise.all([
      startReplicateFake(),
      startFalFake(),
      startLoopback((_request, response) => void response.end("secret")),
    ]);
    // Larger than the fetch limit below, as a vendor's runaway output would be.
    replicate.hugeBytes = 600_000;
    server = await startTestServer({
      env: {
        REPLICATE_API_TOKEN: replicate.token,
        REPLICATE_BASE_URL: replicate.url,
        FAL_KEY: fal.key,
        FAL_BASE_URL: fal.url,
        PROVIDER_RETRY_DELAY_MS: "10",
        REMOTE_FETCH_MAX_BYTES: "500000",
      },
    });
    user = await signUpAndIn(server.baseUrl);
    const upload = await user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/coffee.png"), "coffee.png", "image/png"),
    );
    coffeeId = upload.body.asset.id;
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([replicate?.close(), fal?.close(), privateTarget?.close()]);
  });
  afterEach(() => {
    replicate.scenario = {};
    fal.scenario = {};
    replicate.requests.length = 0;
    fal.requests.length = 0;
  });

  it("runs FLUX schnell at Replicate: polled with live progress, provider cost from the price table", async () => {
    replicate.scenario = { polls: 3 };
    const id = await submit("text-to-image", { prompt: "a lighthouse at dawn", model: "flux-schnell", count: 2 });
    const seen = new Set<number>();
    for (let job = await read(id); !["succeeded", "failed"].includes(job.status); job = await read(id)) {
      seen.add(job.progress);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const job = await read(id);
    expect(job).toMatchObject({
      status: "succeeded",
      price: 2,
      provider: "replicate",
      model: "black-forest-labs/flux-schnell",
    });
    expect(job.outputs).toHaveLength(2);
    expect([...seen].some((percent) => percent > 0 && percent < 95)).toBe(true);
    expect(replicate.creates()).toHaveLength(1);
    expect((await jobRow(id)).providerCostMicros).toBe(2 * 3_000);
    expect(await callsOf(id)).toEqual([
      expect.objectContaining({ provider: "replicate", outcome: "succeeded", costMicros: 6_000 }),
    ]);
  });

  it("falls back to fal when Replicate answers 5xx, and records every call", async () => {
    replicate.scenario = { createStatus: 503 };
    const job = await run("text-to-image", { prompt: "a red kite", model: "flux-schnell" });
    expect(job).toMatchObject({ status: "succeeded", provider: "fal", model: "fal-ai/flux/schnell" });
    expect(fal.runs()).toHaveLength(1);
    const calls = await callsOf(job.id);
    expect(calls.map((c) => [c.provider, c.outcome, c.failure])).toEqual([
      ["replicate", "failed", "retriable"],
      ["replicate", "failed", "retriable"],
      ["fal", "succeeded", null],
    ]);
    expect((await jobRow(job.id)).providerCostMicros).toBe(3_000);
  });

  it("refuses a result URL on a private address (nothing reaches it) and an oversized result, then uses fal", async () => {
    replicate.scenario = { output: { url: `${privateTarget.url}/internal.png` } };
    const refused = await run("ai-upscale", { image: coffeeId, scale: 2 });
    expect(refused).toMatchObject({ status: "succeeded", provider: "fal", model: "fal-ai/esrgan" });
    expect(privateTarget.requests).toHaveLength(0);
    expect((await callsOf(refused.id))[0]).toMatchObject({
      provider: "replicate",
      failure: "malformed",
      message: expect.stringMatching(/non-public/),
    });

    replicate.scenario = { output: "huge" };
    const oversized = await run("ai-upscale", { image: coffeeId, scale: 2 }); // 4x (2400 px) is past the Free plan
    expect(oversized).toMatchObject({ status: "succeeded", provider: "fal" });
    expect((await callsOf(oversized.id))[0]).toMatchObject({
      provider: "replicate",
      failure: "malformed",
      message: expect.stringMatching(/larger than 500000/),
    });
    // fal bills esrgan per output megapixel: the fake's 64x48 image is one.
    expect((await jobRow(oversized.id)).providerCostMicros).toBe(2_500);
  });

  it("restores faces at Replicate, billed by the GPU seconds it measured", async () => {
    replicate.scenario = { polls: 1, predictTime: 4 };
    const job = await run("restore", { image: coffeeId, fidelity: 0.5 });
    expect(job).toMatchObject({ status: "succeeded", provider: "replicate", price: 3 });
    const bytes = Buffer.from(await (await fetch(server.baseUrl + job.outputs[0]!.url)).arrayBuffer());
    expect(await sharp(bytes).metadata()).toMatchObject({ format: "png" });
    expect((await jobRow(job.id)).providerCostMicros).toBe(4 * 225);
  });

  it("saves the video's prediction, and the job's retry polls it instead of paying for a second video", async () => {
    // Attempt 1: Replicate's first poll answers a broken page; fal cannot take over (5xx), so the job is retried.
    replicate.scenario = { polls: 2, pollFailure: { times: 1, answer: "html" } };
    fal.scenario = { submitStatus: 503 };
    const job = await run("ad-video", {
      image: coffeeId,
      prompt: "the coffee steams",
      durationSeconds: 5,
      aspectRatio: "9:16",
    });
    expect(job).toMatchObject({ status: "succeeded", provider: "replicate", model: "kwaivgi/kling-v2.1", attempts: 2 });
    expect(job.outputs[0]).toMatchObject({ mime: "video/mp4", width: 720, height: 1280 });
    expect(replicate.creates()).toHaveLength(1);
    const [prediction] = [...replicate.predictions.values()].filter((p) => p.model === "kwaivgi/kling-v2.1");
    expect(replicate.gets().every((r) => r.path === `/v1/predictions/${prediction!.id}`)).toBe(true);
    const row = await jobRow(job.id);
    expect(row.providerTask).toEqual({ step: 0, provider: "replicate", state: { predictionId: prediction!.id } });
    expect(row.providerCostMicros).toBe(5 * 50_000);
  });
});
