import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SavedTask } from "@/engine/pipeline";
import { AppError } from "@/server/errors";
import { startGeminiFake, type GeminiFake } from "../../../tests/fakes/gemini";
import { startOpenAIFake, type OpenAIFake } from "../../../tests/fakes/openai";
import { runCapability } from "../../../tests/support/run-capability";
import { isProviderError } from "./errors";
import { googleAdapter } from "./google";
import { openaiAdapter } from "./openai";

const coffee = readFileSync("tests/fixtures/images/coffee.png"); // 600x400

type Submitted = {
  instances: { prompt: string; image: { bytesBase64Encoded: string; mimeType: string } }[];
  parameters: Record<string, unknown>;
};

describe("Google Veo image-to-video", () => {
  let gemini: GeminiFake;
  let openai: OpenAIFake;
  const googleOnly = () => [{ adapter: googleAdapter, config: { apiKey: gemini.apiKey, baseUrl: gemini.baseUrl } }];
  const googleThenOpenAI = () => [
    ...googleOnly(),
    { adapter: openaiAdapter, config: { apiKey: openai.apiKey, baseUrl: openai.baseUrl } },
  ];
  const video = (options: { durationSeconds: number; aspectRatio: string }) => ({
    prompt: "the cup steams gently",
    ...options,
  });
  const submitted = (index = 0) => JSON.parse(gemini.videos.submits()[index]!.body.toString("utf8")) as Submitted;

  beforeAll(async () => {
    [gemini, openai] = await Promise.all([startGeminiFake(), startOpenAIFake()]);
  });
  afterAll(async () => {
    await Promise.all([gemini?.close(), openai?.close()]);
  });
  afterEach(() => {
    gemini.requests.length = 0;
    openai.requests.length = 0;
    gemini.videos.scenario = {};
    openai.videos.scenario = {};
  });

  it("submits the frame and parameters, saves the operation before polling, downloads the video with the key, bills seconds", async () => {
    const saved: SavedTask[] = [];
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "16:9" }),
      saveTask: async (task) => {
        saved.push(task);
        expect(gemini.videos.operationReads()).toHaveLength(0); // saved before the first poll
      },
    });
    const [submit] = gemini.videos.submits();
    expect(submit!.path).toBe("/v1beta/models/veo-3.1-lite-generate-preview:predictLongRunning");
    expect(submit!.headers["x-goog-api-key"]).toBe(gemini.apiKey);
    const body = submitted();
    expect(body.instances[0]!.prompt).toBe("the cup steams gently");
    expect(body.instances[0]!.image.mimeType).toBe("image/jpeg");
    const frame = Buffer.from(body.instances[0]!.image.bytesBase64Encoded, "base64");
    expect(await sharp(frame).metadata()).toMatchObject({ format: "jpeg", width: 1280, height: 720 });
    expect(body.parameters).toEqual({
      aspectRatio: "16:9",
      durationSeconds: 4,
      resolution: "720p",
      personGeneration: "allow_adult",
      sampleCount: 1,
    });

    const name = `models/veo-3.1-lite-generate-preview/operations/${[...gemini.videos.operations.keys()].at(-1)}`;
    expect(saved).toEqual([
      { step: 0, provider: "google", state: { operation: name, durationSeconds: 4, aspectRatio: "16:9" } },
    ]);
    expect(gemini.videos.operationReads().map((r) => r.path)).toEqual([`/v1beta/${name}`, `/v1beta/${name}`]);
    // The Files API download carries the key; the redirect's target does not need it.
    const [download] = gemini.videos.downloads();
    expect(new URL(download!.path, "http://x").searchParams.get("key")).toBe(gemini.apiKey);
    expect(result.outputs[0]).toMatchObject({ mime: "video/mp4", width: 1280, height: 720 });
    expect(result.outputs[0]!.meta).toEqual({
      durationSeconds: 4,
      aspectRatio: "16:9",
      size: "1280x720",
      requestedDurationSeconds: 5,
      requestedAspectRatio: "16:9",
    });
    expect(result).toMatchObject({
      provider: "google",
      model: "veo-3.1-lite-generate-preview",
      costMicros: 4 * 50_000,
    });
  });

  it("maps 10 s to Veo's 8 and portrait to 9:16", async () => {
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 10, aspectRatio: "9:16" }),
    });
    expect(submitted().parameters).toMatchObject({ aspectRatio: "9:16", durationSeconds: 8 });
    expect(result.outputs[0]).toMatchObject({ width: 720, height: 1280 });
    expect(result.costMicros).toBe(8 * 50_000);
  });

  it("resumes a saved operation with exactly one submission, keeping what it was asked for", async () => {
    gemini.videos.scenario = { polls: 1_000 };
    const saved: SavedTask[] = [];
    const failure = await runCapability({
      adapters: googleOnly(),
      capability: "image-to-video",
      image: coffee,
      timeoutSeconds: 0.8,
      stepOptions: video({ durationSeconds: 10, aspectRatio: "9:16" }),
      saveTask: async (task) => void saved.push(task),
    }).catch((error: unknown) => error);
    expect(isProviderError(failure) && failure.failure).toBe("retriable");
    expect(gemini.videos.submits()).toHaveLength(1);
    expect(saved).toHaveLength(1);

    const name = saved[0]!.state.operation as string;
    const running = gemini.videos.operations.get(name.split("/").at(-1)!)!;
    running.polls = running.gets + 2;
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 10, aspectRatio: "9:16" }),
      savedTask: saved[0],
    });
    expect(gemini.videos.submits()).toHaveLength(1);
    expect(gemini.videos.operationReads().every((r) => r.path === `/v1beta/${name}`)).toBe(true);
    expect(result.outputs[0]).toMatchObject({
      mime: "video/mp4",
      width: 720,
      height: 1280,
      meta: expect.objectContaining({ durationSeconds: 8 }),
    });
    expect(result.costMicros).toBe(8 * 50_000);
  });

  it("turns RAI-filtered videos and refused prompts into content_blocked, without trying Sora", async () => {
    for (const scenario of [{ outcome: "rai-filtered" as const, polls: 1 }, { submit: "prompt-blocked" as const }]) {
      gemini.videos.scenario = scenario;
      const states: Record<string, unknown>[] = [];
      const failure = await runCapability({
        adapters: googleThenOpenAI(),
        capability: "image-to-video",
        image: coffee,
        stepOptions: video({ durationSeconds: 5, aspectRatio: "16:9" }),
        saveTask: async (task) => void states.push(task.state),
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe("content_blocked");
      expect(openai.videos.creates()).toHaveLength(0);
      // A filtered operation is cleared: nothing is left to resume.
      if (scenario.outcome) expect(states.at(-1)).toEqual({});
    }
    expect(gemini.videos.submits()).toHaveLength(2);
  });

  it("clears a failed operation so the retry submits anew, and tolerates a passing 503 while polling", async () => {
    gemini.videos.scenario = { outcome: "failed", polls: 1 };
    const failure = await runCapability({
      adapters: googleOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "16:9" }),
    }).catch((error: unknown) => error);
    expect(isProviderError(failure) && failure.failure).toBe("retriable");
    expect(gemini.videos.submits()).toHaveLength(2);

    gemini.requests.length = 0;
    gemini.videos.scenario = { pollFailures: 2 };
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "16:9" }),
    });
    expect(gemini.videos.submits()).toHaveLength(1);
    expect(result.calls.map((c) => c.outcome)).toEqual(["succeeded"]);
  });

  it("falls back to Sora when Google answers 5xx to the submission", async () => {
    gemini.videos.scenario = { submit: "server-error" };
    const result = await runCapability({
      adapters: googleThenOpenAI(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "9:16" }),
    });
    expect(result.calls.map((c) => [c.provider, c.failure])).toEqual([
      ["google", "retriable"],
      ["google", "retriable"],
      ["openai", null],
    ]);
    expect(result).toMatchObject({ provider: "openai", model: "sora-2", costMicros: 4 * 100_000 });
  });
});
