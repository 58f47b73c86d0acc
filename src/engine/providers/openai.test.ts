import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PipelineCanceled } from "@/engine/pipeline";
import { AppError } from "@/server/errors";
import { startGeminiFake, type GeminiFake } from "../../../tests/fakes/gemini";
import { startOpenAIFake, type OpenAIFake } from "../../../tests/fakes/openai";
import { runCapability } from "../../../tests/support/run-capability";
import { isProviderError } from "./errors";
import { googleAdapter } from "./google";
import { openaiAdapter, toOpenAIMask } from "./openai";

const coffee = readFileSync("tests/fixtures/images/coffee.png"); // 600x400 RGB, no ICC profile
const chelsea = readFileSync("tests/fixtures/images/chelsea.png"); // 451x300 RGB

async function rgbAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

/** Black with a white square: the square is what the user wants changed. */
async function squareMask(width: number, height: number, square: { left: number; top: number; size: number }) {
  const white = await sharp({ create: { width: square.size, height: square.size, channels: 3, background: "#fff" } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: "#000" } })
    .composite([{ input: white, left: square.left, top: square.top }])
    .png()
    .toBuffer();
}

describe("OpenAI adapter", () => {
  let openai: OpenAIFake;
  let gemini: GeminiFake;
  const openaiOnly = () => [{ adapter: openaiAdapter, config: { apiKey: openai.apiKey, baseUrl: openai.baseUrl } }];
  const openaiThenGoogle = () => [
    ...openaiOnly(),
    { adapter: googleAdapter, config: { apiKey: gemini.apiKey, baseUrl: gemini.baseUrl } },
  ];

  beforeAll(async () => {
    [openai, gemini] = await Promise.all([startOpenAIFake({ slowMs: 3_000 }), startGeminiFake()]);
  });
  afterAll(async () => {
    await Promise.all([openai?.close(), gemini?.close()]);
  });
  afterEach(() => {
    openai.requests.length = 0;
    gemini.requests.length = 0;
    openai.behave("success");
    gemini.behave("success");
  });

  it("makes images from a prompt: n, a size near the ratio, medium quality, cropped to the exact ratio, priced per image", async () => {
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "text-to-image",
      family: "gpt-image-1",
      stepOptions: { prompt: "a lighthouse at dawn", negativePrompt: "people", aspectRatio: "16:9", count: 2 },
    });
    const [sent] = await openai.imageRequests();
    expect(sent).toMatchObject({
      endpoint: "generations",
      model: "gpt-image-1",
      n: 2,
      size: "1536x1024",
      quality: "medium",
    });
    expect(sent!.authorization).toBe(`Bearer ${openai.apiKey}`);
    expect(sent!.prompt).toBe("a lighthouse at dawn\nAvoid: people");
    expect(result.outputs).toHaveLength(2);
    for (const output of result.outputs) expect(output).toMatchObject({ mime: "image/png", width: 1536, height: 864 });
    expect(result).toMatchObject({ provider: "openai", model: "gpt-image-1", costMicros: 2 * 42_000 });
    expect(result.calls).toEqual([
      expect.objectContaining({ provider: "openai", outcome: "succeeded", costMicros: 84_000 }),
    ]);
  });

  it("sends the mini model when the catalog asks for its family, at its own price", async () => {
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "text-to-image",
      family: "gpt-image-1-mini",
      stepOptions: { prompt: "a red kite", aspectRatio: "2:3", count: 1 },
    });
    const [sent] = await openai.imageRequests();
    expect(sent).toMatchObject({ model: "gpt-image-1-mini", size: "1024x1536", n: 1 });
    expect(result.outputs[0]).toMatchObject({ width: 1024, height: 1536 });
    expect(result).toMatchObject({ model: "gpt-image-1-mini", costMicros: 11_000 });
  });

  it("edits by prompt through the multipart edits endpoint, with reference images after the image", async () => {
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "edit-by-prompt",
      image: chelsea,
      assets: { "asset-ref": coffee },
      stepOptions: { prompt: "put the cup next to the cat", referenceAssetIds: ["asset-ref"], count: 1 },
    });
    const [sent] = await openai.imageRequests();
    expect(sent).toMatchObject({
      endpoint: "edits",
      model: "gpt-image-1",
      prompt: "put the cup next to the cat",
      size: "1536x1024",
      n: 1,
    });
    expect(sent!.imageField).toBe("image[]");
    expect(sent!.images).toHaveLength(2);
    expect(sent!.images[0]!.equals(chelsea)).toBe(true);
    expect(sent!.images[1]!.equals(coffee)).toBe(true);
    expect(sent!.mask).toBeUndefined();
    expect(result.outputs[0]).toMatchObject({ width: 1536, height: 1024 });
    expect(result.costMicros).toBe(42_000);
  });

  it("restyles and replaces a background by sending the image with the catalog's prompt", async () => {
    await runCapability({
      adapters: openaiOnly(),
      capability: "style",
      image: coffee,
      stepOptions: { prompt: "As a watercolour.", strength: 0.2 },
    });
    const background = "Replace only the background with: a sunny beach. Keep the subject exactly as it is.";
    await runCapability({
      adapters: openaiOnly(),
      capability: "background-by-prompt",
      image: coffee,
      stepOptions: { prompt: background },
    });
    const [style, replaced] = await openai.imageRequests();
    expect(style).toMatchObject({ endpoint: "edits", imageField: "image", size: "1536x1024" });
    expect(style!.images[0]!.equals(coffee)).toBe(true);
    // A low strength, which gpt-image has no setting for, is said in words.
    // multipart/form-data carries line breaks in fields as CRLF (the HTML form encoding rules).
    expect(style!.prompt).toBe(
      "As a watercolour.\r\nStay very close to the original: keep its composition, shapes and details.",
    );
    expect(replaced).toMatchObject({ endpoint: "edits", prompt: background, n: 1 });
  });

  it("inpaints with our white-means-change mask turned into OpenAI's transparent-means-change PNG", async () => {
    const mask = await squareMask(600, 400, { left: 100, top: 50, size: 80 });
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "inpaint",
      image: coffee,
      assets: { "asset-mask": mask },
      stepOptions: { prompt: "", maskAssetId: "asset-mask" },
    });
    const [sent] = await openai.imageRequests();
    expect(sent!.prompt).toMatch(/^Remove what is in the marked area/);
    const sentMask = await sharp(sent!.mask!).metadata();
    expect(sentMask).toMatchObject({ format: "png", width: 600, height: 400, hasAlpha: true });
    const alpha = await sharp(sent!.mask!).extractChannel(3).raw().toBuffer();
    expect(alpha[60 * 600 + 110]).toBe(0); // inside the square: transparent, to be changed
    expect(alpha[10 * 600 + 10]).toBe(255); // outside: opaque, kept
    expect(alpha.filter((a) => a === 0).length).toBe(80 * 80);

    // The fake paints the transparent area green; outside the mask the original pixels stay.
    const output = result.outputs[0]!;
    expect(output).toMatchObject({ width: 600, height: 400 });
    const [r, g, b] = await rgbAt(output.data, 140, 90);
    expect(g).toBeGreaterThan(200);
    expect(r! + b!).toBeLessThan(80);
    expect(await rgbAt(output.data, 10, 10)).toEqual(await rgbAt(coffee, 10, 10));
    expect(await rgbAt(output.data, 500, 300)).toEqual(await rgbAt(coffee, 500, 300));
  });

  it("restores faces by instruction, with a sentence for a high fidelity, at the photo's own size", async () => {
    const prompt = "Restore this photo: make every face sharp and natural again.";
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "face-restore",
      image: chelsea,
      stepOptions: { prompt, fidelity: 0.9 },
    });
    const [sent] = await openai.imageRequests();
    expect(sent).toMatchObject({ endpoint: "edits", model: "gpt-image-1", size: "1536x1024", quality: "medium", n: 1 });
    expect(sent!.images[0]!.equals(chelsea)).toBe(true);
    expect(sent!.prompt).toBe(
      `${prompt}\r\nStay strictly faithful to the original faces: only remove damage, blur and noise; do not invent facial detail.`,
    );
    // gpt-image answered 1536x1024; a restoration keeps the photo's size.
    expect(result.outputs[0]).toMatchObject({ mime: "image/png", width: 451, height: 300 });
    expect(result).toMatchObject({ provider: "openai", costMicros: 42_000 });
  });

  it("converts a mask of another size and soft edges to a hard mask the image's size", async () => {
    const small = await squareMask(100, 100, { left: 0, top: 0, size: 50 });
    const converted = await toOpenAIMask(small, 200, 120);
    expect(await sharp(converted).metadata()).toMatchObject({ width: 200, height: 120, channels: 4 });
    const alpha = await sharp(converted).extractChannel(3).raw().toBuffer();
    expect(new Set(alpha)).toEqual(new Set([0, 255]));
    expect(alpha[10 * 200 + 10]).toBe(0);
    expect(alpha[100 * 200 + 190]).toBe(255);
  });

  it("outpaints: pads the canvas, masks the new border and keeps the original pixels", async () => {
    const result = await runCapability({
      adapters: openaiOnly(),
      capability: "outpaint",
      image: coffee,
      stepOptions: { prompt: "more of the table", expand: { top: 0, right: 1 / 3, bottom: 0, left: 0 } }, // +200 px
    });
    const [sent] = await openai.imageRequests();
    expect(sent).toMatchObject({ endpoint: "edits", size: "1536x1024" });
    expect(sent!.prompt).toContain("more of the table");
    expect(await sharp(sent!.images[0]!).metadata()).toMatchObject({ width: 800, height: 400 });
    const alpha = await sharp(sent!.mask!).extractChannel(3).raw().toBuffer();
    expect(alpha[200 * 800 + 100]).toBe(255); // the original: kept
    expect(alpha[200 * 800 + 700]).toBe(0); // the new border: to fill
    const output = result.outputs[0]!;
    expect(output).toMatchObject({ width: 800, height: 400 });
    expect(await rgbAt(output.data, 300, 200)).toEqual(await rgbAt(coffee, 300, 200));
    const [r, g, b] = await rgbAt(output.data, 750, 200);
    expect(g).toBeGreaterThan(200);
    expect(r! + b!).toBeLessThan(80);
  });

  it("falls back to Gemini after 5xx answers, charging only the call that worked", async () => {
    openai.behave("server-error");
    const result = await runCapability({
      adapters: openaiThenGoogle(),
      capability: "text-to-image",
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(openai.requests).toHaveLength(2); // retried once, then the next provider
    expect(result).toMatchObject({ provider: "google", model: "gemini-2.5-flash-image", costMicros: 39_000 });
    expect(result.calls.map((c) => [c.provider, c.outcome, c.failure, c.costMicros])).toEqual([
      ["openai", "failed", "retriable", 0],
      ["openai", "failed", "retriable", 0],
      ["google", "succeeded", null, 39_000],
    ]);
  });

  it("waits for Retry-After on a 429 and succeeds on the retry", async () => {
    openai.queue("rate-limited");
    const started = Date.now();
    const result = await runCapability({
      adapters: openaiThenGoogle(),
      capability: "text-to-image",
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000); // the fake says Retry-After: 1
    expect(result.provider).toBe("openai");
    expect(result.calls.map((c) => c.outcome)).toEqual(["failed", "succeeded"]);
    expect(gemini.requests).toHaveLength(0);
  });

  it("turns a moderation block into content_blocked, with no retry and no fallback", async () => {
    openai.behave("moderation-blocked");
    const failure = await runCapability({
      adapters: openaiThenGoogle(),
      capability: "edit-by-prompt",
      image: coffee,
      stepOptions: { prompt: "something not allowed" },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe("content_blocked");
    expect(openai.requests).toHaveLength(1);
    expect(gemini.requests).toHaveLength(0);
  });

  it.each(["no-image", "not-an-image"] as const)(
    "falls back at once when the answer is unusable (%s)",
    async (behavior) => {
      openai.behave(behavior);
      const result = await runCapability({
        adapters: openaiThenGoogle(),
        capability: "text-to-image",
        stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
      });
      expect(openai.requests).toHaveLength(1);
      expect(result.calls.map((c) => [c.provider, c.failure])).toEqual([
        ["openai", "malformed"],
        ["google", null],
      ]);
      expect(result.costMicros).toBe(39_000);
    },
  );

  it("falls back when OpenAI is too slow, and when the key is refused", async () => {
    openai.behave("slow");
    const slow = await runCapability({
      adapters: openaiThenGoogle(),
      capability: "text-to-image",
      timeoutSeconds: 1,
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(slow.calls.map((c) => [c.provider, c.outcome])).toEqual([
      ["openai", "failed"],
      ["openai", "failed"],
      ["google", "succeeded"],
    ]);
    expect(slow.calls[0]!.message).toMatch(/timed out/);

    openai.requests.length = 0;
    const refused = await runCapability({
      adapters: [
        { adapter: openaiAdapter, config: { apiKey: "sk-wrong", baseUrl: openai.baseUrl } },
        openaiThenGoogle()[1]!,
      ],
      capability: "text-to-image",
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(openai.requests).toHaveLength(1); // a bad key is not retried
    expect(refused.calls.map((c) => [c.provider, c.failure])).toEqual([
      ["openai", "misconfigured"],
      ["google", null],
    ]);
    // The vendor quoted the key; the record keeps the message without it.
    expect(refused.calls[0]!.message).toContain("Incorrect API key provided: ••••");
    expect(refused.calls[0]!.message).not.toContain("sk-wrong");
  });

  it("aborts the HTTP request when the job is canceled", async () => {
    openai.behave("slow");
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 300);
    const started = Date.now();
    const failure = await runCapability({
      adapters: openaiThenGoogle(),
      capability: "text-to-image",
      signal: cancel.signal,
      stepOptions: { prompt: "a snail", aspectRatio: "1:1", count: 1 },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PipelineCanceled);
    expect(Date.now() - started).toBeLessThan(2_000); // the fake would answer after 3 s
    expect(openai.requests).toHaveLength(1);
    expect(gemini.requests).toHaveLength(0);
  });

  it("tests the connection by listing models with the key", async () => {
    await expect(
      openaiAdapter.testConnection({ apiKey: openai.apiKey, baseUrl: openai.baseUrl }, AbortSignal.timeout(5_000)),
    ).resolves.toBeUndefined();
    expect(openai.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1/models" });
    const failure = await openaiAdapter
      .testConnection({ apiKey: "sk-wrong", baseUrl: `${openai.baseUrl}/` }, AbortSignal.timeout(5_000))
      .catch((error: unknown) => error);
    expect(isProviderError(failure) && failure.failure).toBe("misconfigured");
  });
});
