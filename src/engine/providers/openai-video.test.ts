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

async function formOf(body: Buffer, contentType: string) {
  return new Request("http://x/", {
    method: "POST",
    headers: { "content-type": contentType },
    body: new Uint8Array(body),
  }).formData();
}

describe("OpenAI Sora image-to-video", () => {
  let openai: OpenAIFake;
  let gemini: GeminiFake;
  const openaiOnly = () => [{ adapter: openaiAdapter, config: { apiKey: openai.apiKey, baseUrl: openai.baseUrl } }];
  const openaiThenGoogle = () => [
    ...openaiOnly(),
    { adapter: googleAdapter, config: { apiKey: gemini.apiKey, baseUrl: gemini.baseUrl } },
  ];
  const video = (options: { durationSeconds: number; aspectRatio: string }) => ({
    prompt: "the cup steams gently",
    ...options,
  });

  beforeAll(async () => {
    [openai, gemini] = await Promise.all([startOpenAIFake(), startGeminiFake()]);
  });
  afterAll(async () => {
    await Promise.all([openai?.close(), gemini?.close()]);
  });
  afterEach(() => {
    openai.requests.length = 0;
    gemini.requests.length = 0;
    openai.videos.scenario = {};
    gemini.videos.scenario = {};
  });

  it("submits once (multipart, the frame cropped to the size), saves the id before polling, downloads the MP4, bills seconds", async () => {
    const saved: SavedTask[] = [];
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "9:16" }),
      saveTask: async (task) => {
        saved.push(task);
        expect(openai.videos.statusReads()).toHaveLength(0); // saved before the first poll
      },
    });
    const [create] = openai.videos.creates();
    expect(create!.headers.authorization).toBe(`Bearer ${openai.apiKey}`);
    const form = await formOf(create!.body, String(create!.headers["content-type"]));
    expect(Object.fromEntries(["model", "prompt", "seconds", "size"].map((k) => [k, form.get(k)]))).toEqual({
      model: "sora-2",
      prompt: "the cup steams gently",
      seconds: "4",
      size: "720x1280",
    });
    const reference = form.get("input_reference") as File;
    expect(reference.type).toBe("image/jpeg");
    expect(await sharp(Buffer.from(await reference.arrayBuffer())).metadata()).toMatchObject({
      width: 720,
      height: 1280,
    });

    const id = [...openai.videos.videos.keys()][0]!;
    expect(saved).toEqual([{ step: 0, provider: "openai", state: { videoId: id } }]);
    expect(openai.videos.statusReads().map((r) => r.path)).toEqual([`/v1/videos/${id}`, `/v1/videos/${id}`]);
    expect(openai.videos.downloads().map((r) => r.path)).toEqual([`/v1/videos/${id}/content`]);
    expect(result.outputs[0]).toMatchObject({ mime: "video/mp4", ext: "mp4", width: 720, height: 1280 });
    expect(result.outputs[0]!.meta).toEqual({
      durationSeconds: 4,
      aspectRatio: "9:16",
      size: "720x1280",
      requestedDurationSeconds: 5,
      requestedAspectRatio: "9:16",
    });
    expect(result).toMatchObject({ provider: "openai", model: "sora-2", costMicros: 4 * 100_000 });
    expect(result.progress.some((p) => p > 0 && p < 95)).toBe(true);
  });

  it("maps 10 s to Sora's 8 and a square to landscape", async () => {
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 10, aspectRatio: "1:1" }),
    });
    const form = await formOf(
      openai.videos.creates()[0]!.body,
      String(openai.videos.creates()[0]!.headers["content-type"]),
    );
    expect([form.get("seconds"), form.get("size")]).toEqual(["8", "1280x720"]);
    expect(result.outputs[0]).toMatchObject({
      width: 1280,
      height: 720,
      meta: expect.objectContaining({ durationSeconds: 8, aspectRatio: "16:9" }),
    });
    expect(result.costMicros).toBe(8 * 100_000);
  });

  it("resumes a saved video: a timed-out attempt and a later run poll it, with exactly one submission", async () => {
    openai.videos.scenario = { polls: 1_000 };
    const saved: SavedTask[] = [];
    const failure = await runCapability({
      adapters: openaiOnly(),
      capability: "image-to-video",
      image: coffee,
      timeoutSeconds: 0.8,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "16:9" }),
      saveTask: async (task) => void saved.push(task),
    }).catch((error: unknown) => error);
    expect(isProviderError(failure) && failure.failure).toBe("retriable");
    // Both attempts of this run: the second polled the video the first had paid for.
    expect(openai.videos.creates()).toHaveLength(1);
    expect(saved).toHaveLength(1);

    const id = saved[0]!.state.videoId as string;
    const paid = openai.videos.videos.get(id)!;
    paid.polls = paid.gets + 2;
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "16:9" }),
      savedTask: saved[0],
    });
    expect(openai.videos.creates()).toHaveLength(1);
    expect(openai.videos.statusReads().every((r) => r.path === `/v1/videos/${id}`)).toBe(true);
    expect(result.outputs[0]).toMatchObject({ mime: "video/mp4", width: 1280, height: 720 });
    expect(result.costMicros).toBe(4 * 100_000);
  });

  it("clears a video that failed at OpenAI, so the retry submits anew; a saved failed one is replaced", async () => {
    openai.videos.scenario = { outcome: "failed", polls: 1 };
    const states: Record<string, unknown>[] = [];
    const failure = await runCapability({
      adapters: openaiOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "16:9" }),
      saveTask: async (task) => void states.push(task.state),
    }).catch((error: unknown) => error);
    expect(isProviderError(failure) && failure.failure).toBe("retriable");
    const [first, second] = [...openai.videos.videos.keys()].slice(-2);
    expect(states).toEqual([{ videoId: first }, {}, { videoId: second }, {}]);

    openai.videos.scenario = {};
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "16:9" }),
      savedTask: { step: 0, provider: "openai", state: { videoId: second } },
    });
    expect(openai.videos.creates()).toHaveLength(3);
    expect(openai.videos.statusReads().filter((r) => r.path === `/v1/videos/${second}`)).toHaveLength(2); // one poll, then the check that it failed
    expect(result.outputs[0]).toMatchObject({ mime: "video/mp4" });
  });

  it("tolerates a passing 5xx while polling a paid video", async () => {
    openai.videos.scenario = { pollFailures: 2 };
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "9:16" }),
    });
    expect(openai.videos.creates()).toHaveLength(1);
    expect(result.calls.map((c) => c.outcome)).toEqual(["succeeded"]);
  });

  it.each(["moderation at the end", "moderation on create"] as const)(
    "turns %s into content_blocked, without trying Veo",
    async (kind) => {
      openai.videos.scenario =
        kind === "moderation on create" ? { create: "moderation-blocked" } : { outcome: "moderation", polls: 1 };
      const failure = await runCapability({
        adapters: openaiThenGoogle(),
        capability: "image-to-video",
        image: coffee,
        stepOptions: video({ durationSeconds: 5, aspectRatio: "9:16" }),
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe("content_blocked");
      expect(openai.videos.creates()).toHaveLength(1);
      expect(gemini.videos.submits()).toHaveLength(0);
    },
  );

  it("falls back to Veo when OpenAI answers 5xx to the submission", async () => {
    openai.videos.scenario = { create: "server-error" };
    const result = await runCapability({
      adapters: openaiThenGoogle(),
      capability: "image-to-video",
      image: coffee,
      stepOptions: video({ durationSeconds: 5, aspectRatio: "9:16" }),
    });
    expect(result.calls.map((c) => [c.provider, c.failure])).toEqual([
      ["openai", "retriable"],
      ["openai", "retriable"],
      ["google", null],
    ]);
    expect(result).toMatchObject({
      provider: "google",
      model: "veo-3.1-lite-generate-preview",
      costMicros: 4 * 50_000,
    });
  });
});
