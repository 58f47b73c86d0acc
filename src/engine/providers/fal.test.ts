import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { startFalFake, type FalFake } from "../../../tests/fakes/fal";
import { startLoopback, type Loopback } from "../../../tests/fakes/loopback";
import { startReplicateFake, type ReplicateFake } from "../../../tests/fakes/replicate";
import { runCapability } from "../../../tests/support/run-capability";
import { isProviderError } from "./errors";
import { createFalAdapter, falAdapter } from "./fal";
import { createReplicateAdapter } from "./replicate";

const coffee = readFileSync("tests/fixtures/images/coffee.png"); // 600x400
const timing = { pollTiming: { firstMs: 5, maxMs: 20 } };
const adapter = createFalAdapter(timing);
const replicateAdapter = createReplicateAdapter(timing);

describe("fal adapter", () => {
  let fal: FalFake;
  let replicate: ReplicateFake;
  let privateTarget: Loopback;
  const config = () => ({ apiKey: fal.key, baseUrl: fal.url });
  const only = () => [{ adapter, config: config() }];
  const replicateThenFal = () => [
    { adapter: replicateAdapter, config: { apiToken: replicate.token, baseUrl: replicate.url } },
    ...only(),
  ];

  beforeAll(async () => {
    [fal, replicate, privateTarget] = await Promise.all([
      startFalFake(),
      startReplicateFake(),
      startLoopback((_request, response) => void response.end("secret")),
    ]);
  });
  afterAll(async () => {
    await Promise.all([fal?.close(), replicate?.close(), privateTarget?.close()]);
  });
  afterEach(() => {
    fal.requests.length = 0;
    replicate.requests.length = 0;
    fal.scenario = {};
    replicate.scenario = {};
    fal.queued.clear();
  });

  it("makes FLUX images through the AI SDK on fal.run, via the proxy protocol, priced per megapixel", async () => {
    const result = await runCapability({
      adapters: only(),
      capability: "text-to-image",
      family: "flux-schnell",
      stepOptions: { prompt: "a lighthouse", negativePrompt: "people", aspectRatio: "16:9", count: 2, seed: 3 },
    });
    const [run] = fal.runs();
    expect(run!.target).toBe("https://fal.run/fal-ai/flux/schnell");
    expect(run!.headers.authorization).toBe(`Key ${fal.key}`);
    expect(run!.json).toMatchObject({
      prompt: "a lighthouse\nAvoid: people",
      image_size: "landscape_16_9",
      num_images: 2,
      seed: 3,
      enable_safety_checker: true,
      output_format: "png",
    });
    expect(fal.runs()).toHaveLength(1);
    expect(result.outputs).toHaveLength(2);
    // Each 64x48 image is billed as one (rounded-up) megapixel.
    expect(result).toMatchObject({ provider: "fal", model: "fal-ai/flux/schnell", costMicros: 2 * 3_000 });
  });

  it("asks for an explicit size where fal has no preset (3:2), and runs flux/dev at its price", async () => {
    const result = await runCapability({
      adapters: only(),
      capability: "text-to-image",
      family: "flux-dev",
      stepOptions: { prompt: "a kite", aspectRatio: "3:2", count: 1 },
    });
    expect(fal.runs()[0]!.target).toBe("https://fal.run/fal-ai/flux/dev");
    expect(fal.runs()[0]!.json.image_size).toEqual({ width: 1248, height: 832 });
    expect(result.costMicros).toBe(25_000);
  });

  it("blocks an image fal flagged as NSFW (has_nsfw_concepts) and a content_policy_violation", async () => {
    fal.scenario = { outcome: "nsfw" };
    const text = runCapability({
      adapters: only(),
      capability: "text-to-image",
      family: "flux-schnell",
      stepOptions: { prompt: "x", aspectRatio: "1:1", count: 1 },
    });
    await expect(text).rejects.toSatisfy((e) => e instanceof AppError && e.code === "content_blocked");

    fal.scenario = { polls: 1, outcome: "nsfw" };
    const flagged = runCapability({
      adapters: only(),
      capability: "edit-by-prompt",
      image: coffee,
      stepOptions: { prompt: "x" },
    });
    await expect(flagged).rejects.toSatisfy((e) => e instanceof AppError && e.code === "content_blocked");

    fal.requests.length = 0;
    fal.scenario = { polls: 1, outcome: "content_policy" };
    const edit = runCapability({
      adapters: only(),
      capability: "edit-by-prompt",
      image: coffee,
      stepOptions: { prompt: "x" },
    });
    await expect(edit).rejects.toSatisfy((e) => e instanceof AppError && e.code === "content_blocked");
    expect(fal.submits()).toHaveLength(1); // final: no retry
  });

  it("edits with Kontext on the queue: polls status with logs, reports progress, gets the result, one request for all images", async () => {
    fal.scenario = { polls: 3 };
    const result = await runCapability({
      adapters: only(),
      capability: "edit-by-prompt",
      image: coffee,
      stepOptions: { prompt: "make the cup red", count: 2 },
    });
    const [submit] = fal.submits();
    expect(submit!.target).toBe("https://queue.fal.run/fal-ai/flux-pro/kontext");
    expect(submit!.json).toMatchObject({
      prompt: "make the cup red",
      num_images: 2,
      image_url: expect.stringMatching(/^data:image\/png;base64,/),
    });
    const id = [...fal.queued.keys()][0]!;
    // Status and result live under owner/alias, without the model's subpath.
    expect(fal.targeted("GET", /\/status/).map((r) => r.target)).toEqual(
      Array(4).fill(`https://queue.fal.run/fal-ai/flux-pro/requests/${id}/status?logs=1`),
    );
    expect(fal.targeted("GET", new RegExp(`/requests/${id}$`))).toHaveLength(1);
    // Logs say 50% and 75% on the IN_PROGRESS polls.
    expect(result.progress).toEqual(expect.arrayContaining([48, 71]));
    expect(result.outputs).toHaveLength(2);
    expect(result.costMicros).toBe(2 * 40_000);
  });

  it("bills upscales and face restoration per output megapixel, background removal per compute second", async () => {
    const upscaled = await runCapability({
      adapters: only(),
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 4 },
    });
    const restored = await runCapability({
      adapters: only(),
      capability: "face-restore",
      image: coffee,
      stepOptions: { fidelity: 0.3 },
    });
    const cutout = await runCapability({
      adapters: only(),
      capability: "remove-background",
      image: coffee,
      stepOptions: {},
    });
    const [esrgan, codeformer, birefnet] = fal.submits();
    expect(esrgan).toMatchObject({
      target: "https://queue.fal.run/fal-ai/esrgan",
      json: { scale: 4, model: "RealESRGAN_x4plus" },
    });
    expect(codeformer).toMatchObject({
      target: "https://queue.fal.run/fal-ai/codeformer",
      json: { fidelity: 0.3, upscaling: 1 },
    });
    expect(birefnet).toMatchObject({
      target: "https://queue.fal.run/fal-ai/birefnet/v2",
      json: { output_format: "png" },
    });
    expect(upscaled.outputs[0]!.meta).toMatchObject({ method: "ai", scale: 4 });
    expect([upscaled.costMicros, restored.costMicros, cutout.costMicros]).toEqual([2_500, 2_100, 0]);
  });

  it("saves a video's request id right away, and a retried attempt polls it instead of submitting again", async () => {
    fal.scenario = { polls: 2, statusFailure: { times: 1, answer: "html" } };
    const saved: Record<string, unknown>[] = [];
    const options = { prompt: "the cup steams", durationSeconds: 10, aspectRatio: "16:9" };
    await expect(
      runCapability({
        adapters: only(),
        capability: "image-to-video",
        image: coffee,
        stepOptions: options,
        saveTask: async (task) => void saved.push(task.state),
      }),
    ).rejects.toSatisfy((e) => isProviderError(e) && e.failure === "malformed");
    expect(saved).toEqual([{ requestId: expect.any(String) }]);
    expect(fal.submits()[0]).toMatchObject({
      target: "https://queue.fal.run/fal-ai/kling-video/v2.1/standard/image-to-video",
      json: { prompt: "the cup steams", duration: "10" },
    });

    const retried = await runCapability({
      adapters: only(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: options,
      savedTask: { step: 0, provider: "fal", state: saved[0]! },
    });
    expect(fal.submits()).toHaveLength(1);
    expect(retried.outputs[0]).toMatchObject({ mime: "video/mp4", width: 1280, height: 720 });
    expect(retried.costMicros).toBe(10 * 56_000);
  });

  it("cancels the request at fal when the step is aborted", async () => {
    fal.scenario = { polls: 1000 };
    await expect(
      runCapability({
        adapters: only(),
        capability: "upscale",
        image: coffee,
        stepOptions: { scale: 2 },
        timeoutSeconds: 0.3,
      }),
    ).rejects.toSatisfy((e) => isProviderError(e) && e.failure === "retriable");
    // Each of the pipeline's two timed-out attempts cancels its own request.
    await expect.poll(() => fal.targeted("PUT", /\/cancel$/).length).toBe(2);
    expect([...fal.queued.values()].map((r) => r.canceled)).toEqual([true, true]);
  });

  it("falls back from Replicate answering 5xx to fal, after Replicate's own retry", async () => {
    replicate.scenario = { createStatus: 503 };
    const result = await runCapability({
      adapters: replicateThenFal(),
      capability: "text-to-image",
      family: "flux-schnell",
      stepOptions: { prompt: "a kite", aspectRatio: "1:1", count: 1 },
    });
    expect(result).toMatchObject({ provider: "fal", model: "fal-ai/flux/schnell", costMicros: 3_000 });
    expect(result.calls.map((c) => [c.provider, c.outcome, c.failure])).toEqual([
      ["replicate", "failed", "retriable"],
      ["replicate", "failed", "retriable"],
      ["fal", "succeeded", null],
    ]);
  });

  it("does not fall back when Replicate refuses for safety: blocked is the user's answer", async () => {
    replicate.scenario = { outcome: "nsfw" };
    const run = runCapability({
      adapters: replicateThenFal(),
      capability: "text-to-image",
      family: "flux-schnell",
      stepOptions: { prompt: "x", aspectRatio: "1:1", count: 1 },
    });
    await expect(run).rejects.toSatisfy((e) => e instanceof AppError && e.code === "content_blocked");
    expect(fal.requests).toHaveLength(0);
  });

  it("refuses result URLs on private addresses, from the AI SDK path and the queue, without fetching them", async () => {
    fal.scenario = { output: { url: `${privateTarget.url}/secret.png` } };
    const text = runCapability({
      adapters: only(),
      capability: "text-to-image",
      family: "flux-schnell",
      stepOptions: { prompt: "x", aspectRatio: "1:1", count: 1 },
    });
    await expect(text).rejects.toSatisfy(
      (e) => isProviderError(e) && e.failure === "malformed" && /non-public/.test(e.message),
    );
    fal.scenario = { output: { url: "http://169.254.169.254/latest/meta-data/iam" } };
    const queued = runCapability({ adapters: only(), capability: "upscale", image: coffee, stepOptions: { scale: 2 } });
    await expect(queued).rejects.toSatisfy(
      (e) => isProviderError(e) && e.failure === "malformed" && /non-public/.test(e.message),
    );
    expect(privateTarget.requests).toHaveLength(0);
  });

  it("retries a 5xx submit through the pipeline only, and treats a missing result file as malformed", async () => {
    fal.scenario = { submitStatus: 503 };
    await expect(
      runCapability({ adapters: only(), capability: "upscale", image: coffee, stepOptions: { scale: 2 } }),
    ).rejects.toSatisfy((e) => isProviderError(e) && e.failure === "retriable" && e.status === 503);
    expect(fal.submits()).toHaveLength(2);
    fal.scenario = { output: "missing" };
    await expect(
      runCapability({ adapters: only(), capability: "upscale", image: coffee, stepOptions: { scale: 2 } }),
    ).rejects.toSatisfy((e) => isProviderError(e) && e.failure === "malformed" && /no image/.test(e.message));
  });

  it("tests the connection with the platform API's price lookup", async () => {
    await expect(falAdapter.testConnection(config(), AbortSignal.timeout(5_000))).resolves.toBeUndefined();
    expect(fal.requests.at(-1)!.headers["x-fal-target-url"]).toBe(
      "https://api.fal.ai/v1/models/pricing?endpoint_id=fal-ai/flux/schnell",
    );
    await expect(
      falAdapter.testConnection({ ...config(), apiKey: "wrong" }, AbortSignal.timeout(5_000)),
    ).rejects.toSatisfy((e) => isProviderError(e) && e.failure === "misconfigured");
  });
});
