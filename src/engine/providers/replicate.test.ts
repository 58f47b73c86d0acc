import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { startLoopback, type Loopback } from "../../../tests/fakes/loopback";
import { startReplicateFake, type ReplicateFake } from "../../../tests/fakes/replicate";
import { runCapability } from "../../../tests/support/run-capability";
import { isProviderError } from "./errors";
import { apiBaseOf } from "./replicate-api";
import { createReplicateAdapter, replicateAdapter } from "./replicate";

const coffee = readFileSync("tests/fixtures/images/coffee.png"); // 600x400
const adapter = createReplicateAdapter({ pollTiming: { firstMs: 5, maxMs: 20 } });

type Body = { input: Record<string, unknown>; version?: string };
const bodyOf = (request: { body: Buffer }) => JSON.parse(request.body.toString("utf8")) as Body;

describe("Replicate adapter", () => {
  let replicate: ReplicateFake;
  let privateTarget: Loopback;
  const config = () => ({ apiToken: replicate.token, baseUrl: replicate.url });
  const only = () => [{ adapter, config: config() }];

  beforeAll(async () => {
    replicate = await startReplicateFake();
    // Stands for a server in the operator's network: a result URL pointing there must never be fetched.
    privateTarget = await startLoopback((_request, response) => void response.end("secret"));
  });
  afterAll(async () => {
    await Promise.all([replicate?.close(), privateTarget?.close()]);
  });
  afterEach(() => {
    replicate.requests.length = 0;
    replicate.scenario = {};
  });

  it("makes FLUX images through the AI SDK, polls a prediction that outlasts the sync wait, reports progress, prices per image", async () => {
    replicate.scenario = { polls: 3 };
    const result = await runCapability({
      adapters: only(),
      capability: "text-to-image",
      family: "flux-schnell",
      stepOptions: { prompt: "a lighthouse at dawn", negativePrompt: "people", aspectRatio: "16:9", count: 2, seed: 7 },
    });
    const [create] = replicate.creates();
    expect(create!.path).toBe("/v1/models/black-forest-labs/flux-schnell/predictions");
    expect(create!.headers.prefer).toBe("wait=5");
    expect(create!.headers.authorization).toBe(`Bearer ${replicate.token}`);
    expect(bodyOf(create!).input).toMatchObject({
      prompt: "a lighthouse at dawn\nAvoid: people",
      aspect_ratio: "16:9",
      num_outputs: 2,
      seed: 7,
    });
    expect(replicate.creates()).toHaveLength(1);
    expect(replicate.gets()).toHaveLength(4);
    expect(result.outputs).toHaveLength(2);
    expect(result.outputs[0]).toMatchObject({ mime: "image/png", width: 64, height: 48 });
    // The fake's logs say 25%, 50%, 75%: the pipeline shows them as 24, 48 and 71 of 95.
    expect(result.progress).toEqual(expect.arrayContaining([24, 48, 71]));
    expect([...result.progress].sort((a, b) => a - b)).toEqual(result.progress);
    expect(result).toMatchObject({
      provider: "replicate",
      model: "black-forest-labs/flux-schnell",
      costMicros: 2 * 3_000,
    });
  });

  it("answers within the sync wait without polling, and runs flux-dev at its own price", async () => {
    const result = await runCapability({
      adapters: only(),
      capability: "text-to-image",
      family: "flux-dev",
      stepOptions: { prompt: "a red kite", aspectRatio: "1:1", count: 1 },
    });
    expect(replicate.creates()[0]!.path).toBe("/v1/models/black-forest-labs/flux-dev/predictions");
    expect(replicate.gets()).toHaveLength(0);
    expect(result).toMatchObject({ model: "black-forest-labs/flux-dev", costMicros: 25_000 });
  });

  it("turns an NSFW failure into content_blocked: final, no retry, costs nothing", async () => {
    replicate.scenario = { polls: 1, outcome: "nsfw" };
    const run = runCapability({
      adapters: only(),
      capability: "text-to-image",
      family: "flux-schnell",
      stepOptions: { prompt: "x", aspectRatio: "1:1", count: 1 },
    });
    await expect(run).rejects.toSatisfy((error) => error instanceof AppError && error.code === "content_blocked");
    expect(replicate.creates()).toHaveLength(1);
  });

  it("maps HTTP answers: 401 misconfigured (no retry), 422 rejected, 429 and 5xx retried", async () => {
    const run = () =>
      runCapability({ adapters: only(), capability: "upscale", image: coffee, stepOptions: { scale: 2 } });
    replicate.scenario = { createStatus: 401 };
    await expect(run()).rejects.toSatisfy(
      (e) => isProviderError(e) && e.failure === "misconfigured" && e.status === 401,
    );
    expect(replicate.creates()).toHaveLength(1);

    replicate.requests.length = 0;
    replicate.scenario = { createStatus: 422 };
    await expect(run()).rejects.toSatisfy((e) => e instanceof AppError && e.code === "provider_rejected");

    for (const status of [429, 503]) {
      replicate.requests.length = 0;
      replicate.scenario = { createStatus: status };
      await expect(run()).rejects.toSatisfy(
        (e) => isProviderError(e) && e.failure === "retriable" && e.status === status,
      );
      expect(replicate.creates()).toHaveLength(2); // the pipeline's two attempts, none inside the adapter
    }
  });

  it("upscales with the pinned real-esrgan version, sends the image as a data URL, bills the measured GPU seconds", async () => {
    replicate.scenario = { polls: 1, predictTime: 4 };
    const result = await runCapability({
      adapters: only(),
      capability: "upscale",
      image: coffee,
      stepOptions: { scale: 4 },
    });
    const create = replicate.creates()[0]!;
    expect(create.path).toBe("/v1/predictions");
    const body = bodyOf(create);
    expect(body.version).toBe("f121d640bd286e1fdc67f9799164c1d5be36ff74576ee11c803ae5b665dd46aa");
    expect(body.input).toMatchObject({ scale: 4 });
    expect(Buffer.from(String(body.input.image).replace(/^data:image\/png;base64,/, ""), "base64").equals(coffee)).toBe(
      true,
    );
    expect(result.outputs[0]!.meta).toMatchObject({ method: "ai", scale: 4 });
    expect(result.costMicros).toBe(4 * 225);
  });

  it("restores faces and removes backgrounds with their models' inputs", async () => {
    await runCapability({
      adapters: only(),
      capability: "face-restore",
      image: coffee,
      stepOptions: { fidelity: 0.4 },
    });
    await runCapability({ adapters: only(), capability: "remove-background", image: coffee, stepOptions: {} });
    const [restore, cutout] = replicate.creates().map(bodyOf);
    expect(restore).toMatchObject({
      version: expect.stringMatching(/^cc4956dd/),
      input: { codeformer_fidelity: 0.4, upscale: 1 },
    });
    expect(cutout).toMatchObject({
      version: expect.stringMatching(/^a029dff3/),
      input: { format: "png", background_type: "rgba" },
    });
  });

  it("edits with FLUX Kontext, one prediction per image asked for", async () => {
    const result = await runCapability({
      adapters: only(),
      capability: "edit-by-prompt",
      image: coffee,
      stepOptions: { prompt: "make the cup red", negativePrompt: "text", count: 2 },
    });
    const creates = replicate.creates();
    expect(creates.map((r) => r.path)).toEqual(
      Array(2).fill("/v1/models/black-forest-labs/flux-kontext-pro/predictions"),
    );
    expect(bodyOf(creates[0]!).input).toMatchObject({
      prompt: "make the cup red\nAvoid: text",
      input_image: expect.stringMatching(/^data:image\/png;base64,/),
      aspect_ratio: "match_input_image",
    });
    expect(result).toMatchObject({ costMicros: 2 * 40_000 });
  });

  it("inpaints with FLUX Fill: the mask goes along at the image's size, the result comes back at the photo's size", async () => {
    const mask = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    const result = await runCapability({
      adapters: only(),
      capability: "inpaint",
      image: coffee,
      assets: { "mask-1": mask },
      stepOptions: { prompt: "", maskAssetId: "mask-1" },
    });
    const body = bodyOf(replicate.creates()[0]!);
    expect(replicate.creates()[0]!.path).toBe("/v1/models/black-forest-labs/flux-fill-pro/predictions");
    const sentMask = Buffer.from(String(body.input.mask).split(",")[1]!, "base64");
    expect(await sharp(sentMask).metadata()).toMatchObject({ width: 600, height: 400 });
    expect(result.outputs[0]).toMatchObject({ width: 600, height: 400 });
    expect(result.costMicros).toBe(50_000);
  });

  it("outpaints on a padded canvas and keeps the original pixels in the middle", async () => {
    const result = await runCapability({
      adapters: only(),
      capability: "outpaint",
      image: coffee,
      stepOptions: { prompt: "more table", expand: { top: 0, right: 0.25, bottom: 0, left: 0.25 } },
    });
    const body = bodyOf(replicate.creates()[0]!);
    const canvas = Buffer.from(String(body.input.image).split(",")[1]!, "base64");
    expect(await sharp(canvas).metadata()).toMatchObject({ width: 900, height: 400 });
    expect(result.outputs[0]).toMatchObject({ width: 900, height: 400 });
    // The fake paints every pixel blue; the photo itself must come through untouched.
    const { data } = await sharp(result.outputs[0]!.data)
      .extract({ left: 150, top: 0, width: 600, height: 400 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const original = await sharp(coffee).raw().toBuffer();
    expect(data.equals(original)).toBe(true);
  });

  it("saves a video's prediction id right away, and a retried attempt polls it instead of paying twice", async () => {
    // First attempt: a broken answer while polling ends it (like a crash would), after the id was saved.
    replicate.scenario = { polls: 2, pollFailure: { times: 1, answer: "html" } };
    const saved: Record<string, unknown>[] = [];
    const options = { prompt: "the cup steams", durationSeconds: 5, aspectRatio: "9:16" };
    await expect(
      runCapability({
        adapters: only(),
        capability: "image-to-video",
        image: coffee,
        stepOptions: options,
        saveTask: async (task) => {
          saved.push(task.state);
          expect(replicate.gets()).toHaveLength(0); // saved before the first poll
        },
      }),
    ).rejects.toSatisfy((e) => isProviderError(e) && e.failure === "malformed");
    expect(saved).toEqual([{ predictionId: expect.any(String) }]);
    const id = saved[0]!.predictionId as string;
    const create = bodyOf(replicate.creates()[0]!);
    expect(replicate.creates()[0]!.path).toBe("/v1/models/kwaivgi/kling-v2.1/predictions");
    expect(create.input).toMatchObject({ prompt: "the cup steams", duration: 5, mode: "standard" });
    expect(
      await sharp(Buffer.from(String(create.input.start_image).split(",")[1]!, "base64")).metadata(),
    ).toMatchObject({ width: 720, height: 1280 });

    const retried = await runCapability({
      adapters: only(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: options,
      savedTask: { step: 0, provider: "replicate", state: { predictionId: id } },
    });
    expect(replicate.creates()).toHaveLength(1);
    expect(replicate.gets().every((r) => r.path === `/v1/predictions/${id}`)).toBe(true);
    expect(retried.outputs[0]).toMatchObject({ mime: "video/mp4", ext: "mp4", width: 720, height: 1280 });
    expect(retried.costMicros).toBe(5 * 50_000);
  });

  it("replaces a saved prediction that failed instead of resuming it", async () => {
    replicate.scenario = { outcome: "failed", error: "CUDA out of memory" };
    await expect(
      runCapability({
        adapters: only(),
        capability: "image-to-video",
        image: coffee,
        stepOptions: { prompt: "p", durationSeconds: 5, aspectRatio: "1:1" },
      }),
    ).rejects.toSatisfy((e) => isProviderError(e) && e.failure === "retriable");
    const dead = [...replicate.predictions.values()].at(-1)!.id;
    replicate.requests.length = 0;
    replicate.scenario = {};
    const result = await runCapability({
      adapters: only(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: { prompt: "p", durationSeconds: 10, aspectRatio: "1:1" },
      savedTask: { step: 0, provider: "replicate", state: { predictionId: dead } },
    });
    expect(replicate.creates()).toHaveLength(1);
    expect(result.costMicros).toBe(10 * 50_000);
  });

  it("cancels the prediction at Replicate when the step is aborted", async () => {
    replicate.scenario = { polls: 1000 };
    await expect(
      runCapability({
        adapters: only(),
        capability: "upscale",
        image: coffee,
        stepOptions: { scale: 2 },
        timeoutSeconds: 0.3,
      }),
    ).rejects.toSatisfy((e) => isProviderError(e) && e.failure === "retriable" && /timed out/.test(e.message));
    await expect.poll(() => replicate.cancels().length).toBeGreaterThanOrEqual(1);
    const canceled = [...replicate.predictions.values()].filter((p) => p.canceled);
    expect(canceled.length).toBeGreaterThanOrEqual(1);
  });

  it("refuses result URLs on private addresses without fetching them", async () => {
    for (const url of [
      `${privateTarget.url}/secret.png`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/image.png",
    ]) {
      replicate.scenario = { output: { url } };
      await expect(
        runCapability({ adapters: only(), capability: "upscale", image: coffee, stepOptions: { scale: 2 } }),
      ).rejects.toSatisfy(
        (e) => isProviderError(e) && e.failure === "malformed" && /non-public address/.test(e.message),
      );
    }
    // The AI SDK's own download of FLUX outputs goes through the same check.
    replicate.scenario = { output: { url: `${privateTarget.url}/secret.png` } };
    const text = runCapability({
      adapters: only(),
      capability: "text-to-image",
      family: "flux-schnell",
      stepOptions: { prompt: "x", aspectRatio: "1:1", count: 1 },
    });
    await expect(text).rejects.toSatisfy(
      (e) => isProviderError(e) && e.failure === "malformed" && /non-public address/.test(e.message),
    );
    expect(privateTarget.requests).toHaveLength(0);
  });

  it("refuses oversized, non-image and missing outputs as malformed", async () => {
    const run = () =>
      runCapability({
        adapters: only(),
        capability: "upscale",
        image: coffee,
        stepOptions: { scale: 2 },
        fetchLimits: { maxBytes: 1024 * 1024, timeoutMs: 5_000 },
      });
    for (const [output, message] of [
      ["huge", /larger than/],
      ["html", /not an image/],
      ["missing", /without an output/],
    ] as const) {
      replicate.scenario = { output };
      await expect(run()).rejects.toSatisfy(
        (e) => isProviderError(e) && e.failure === "malformed" && message.test(e.message),
      );
    }
  });

  it("tests the connection with GET /v1/account", async () => {
    await expect(replicateAdapter.testConnection(config(), AbortSignal.timeout(5_000))).resolves.toBeUndefined();
    expect(replicate.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1/account" });
    await expect(
      replicateAdapter.testConnection({ ...config(), apiToken: "wrong" }, AbortSignal.timeout(5_000)),
    ).rejects.toSatisfy((e) => isProviderError(e) && e.failure === "misconfigured");
  });

  it("accepts the base URL with or without the API version", () => {
    expect(apiBaseOf(undefined)).toBe("https://api.replicate.com/v1");
    expect(apiBaseOf("http://127.0.0.1:9000")).toBe("http://127.0.0.1:9000/v1");
    expect(apiBaseOf("https://proxy.example/replicate/v1/")).toBe("https://proxy.example/replicate/v1");
  });
});
