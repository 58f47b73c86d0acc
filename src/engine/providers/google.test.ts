import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { startGeminiFake, type GeminiFake } from "../../../tests/fakes/gemini";
import { startOpenAIFake, type OpenAIFake } from "../../../tests/fakes/openai";
import { runCapability } from "../../../tests/support/run-capability";
import { isProviderError } from "./errors";
import { googleAdapter, imageOfAnswer } from "./google";
import { openaiAdapter } from "./openai";

const coffee = readFileSync("tests/fixtures/images/coffee.png"); // 600x400 RGB
const horse = readFileSync("tests/fixtures/images/horse.png"); // 400x328 RGBA

async function rgbAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

describe("Google Gemini adapter", () => {
  let gemini: GeminiFake;
  let openai: OpenAIFake;
  const googleOnly = () => [{ adapter: googleAdapter, config: { apiKey: gemini.apiKey, baseUrl: gemini.baseUrl } }];
  const googleThenOpenAI = () => [
    ...googleOnly(),
    { adapter: openaiAdapter, config: { apiKey: openai.apiKey, baseUrl: openai.baseUrl } },
  ];

  beforeAll(async () => {
    [gemini, openai] = await Promise.all([startGeminiFake({ slowMs: 3_000 }), startOpenAIFake()]);
  });
  afterAll(async () => {
    await Promise.all([gemini?.close(), openai?.close()]);
  });
  afterEach(() => {
    gemini.requests.length = 0;
    openai.requests.length = 0;
    gemini.behave("success");
    openai.behave("success");
  });

  it("makes one call per image, asking for IMAGE and TEXT at the requested aspect ratio, priced per image", async () => {
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "text-to-image",
      family: "gemini-flash-image",
      stepOptions: { prompt: "a tea garden in fog", negativePrompt: "text", aspectRatio: "16:9", count: 3, seed: 7 },
    });
    const sent = gemini.generateRequests();
    expect(sent).toHaveLength(3);
    for (const request of sent) {
      expect(request).toMatchObject({
        model: "gemini-2.5-flash-image",
        apiKey: gemini.apiKey,
        responseModalities: ["IMAGE", "TEXT"],
        aspectRatio: "16:9",
        images: [],
      });
      expect(request.text).toBe("Generate an image: a tea garden in fog\nAvoid: text");
    }
    expect(sent.map((r) => r.seed).sort()).toEqual([7, 8, 9]);
    expect(result.outputs).toHaveLength(3);
    for (const output of result.outputs) expect(output).toMatchObject({ mime: "image/png", width: 1344, height: 768 });
    expect(result).toMatchObject({ provider: "google", model: "gemini-2.5-flash-image", costMicros: 3 * 39_000 });
    expect(result.progress.at(-1)).toBeGreaterThan(90);
  });

  it("reads an image that comes back inside a text part as a markdown data URL", async () => {
    gemini.behave("image-in-text");
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "edit-by-prompt",
      image: coffee,
      stepOptions: { prompt: "invert it" },
    });
    expect(result.outputs[0]).toMatchObject({ mime: "image/png", width: 600, height: 400 });
    // The fake inverts the input image: the answer really is the image from the text part.
    const [r, g, b] = await rgbAt(coffee, 300, 200);
    expect(await rgbAt(result.outputs[0]!.data, 300, 200)).toEqual([255 - r!, 255 - g!, 255 - b!]);
  });

  it("edits with the image and its references as inline data, and restyles", async () => {
    await runCapability({
      adapters: googleOnly(),
      capability: "edit-by-prompt",
      image: coffee,
      assets: { "asset-ref": horse },
      stepOptions: { prompt: "add the horse on the saucer", referenceAssetIds: ["asset-ref"] },
    });
    await runCapability({
      adapters: googleOnly(),
      capability: "style",
      image: coffee,
      stepOptions: { prompt: "As pop art.", strength: 0.9 },
    });
    const [editRequest, styleRequest] = gemini.generateRequests();
    expect(editRequest!.images.map((i) => i.mimeType)).toEqual(["image/png", "image/png"]);
    expect(editRequest!.images[0]!.data.equals(coffee)).toBe(true);
    expect(editRequest!.images[1]!.data.equals(horse)).toBe(true);
    expect(editRequest!.text).toContain("add the horse on the saucer");
    expect(editRequest!.aspectRatio).toBeUndefined(); // an edit keeps the photo's shape
    expect(styleRequest!.text).toBe(
      "As pop art.\nYou may reinterpret shapes and details freely; keep the subject recognisable.",
    );
  });

  it("replaces the background with the catalog's instruction and the photo", async () => {
    const prompt = "Replace only the background with: a meadow at sunset. Keep the subject exactly as it is.";
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "background-by-prompt",
      image: horse,
      stepOptions: { prompt },
    });
    const [sent] = gemini.generateRequests();
    expect(sent!.text).toBe(prompt);
    expect(sent!.images[0]!.data.equals(horse)).toBe(true);
    expect(result.outputs[0]).toMatchObject({ width: 400, height: 328 });
  });

  it("outpaints a padded canvas described in words, and keeps the original pixels", async () => {
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "outpaint",
      image: coffee,
      stepOptions: { prompt: "Show more of the wooden table.", expand: { top: 0.25, right: 0, bottom: 0.25, left: 0 } }, // 100 px each
    });
    const [sent] = gemini.generateRequests();
    expect(await sharp(sent!.images[0]!.data).metadata()).toMatchObject({ width: 600, height: 600 });
    expect(sent!.aspectRatio).toBe("1:1");
    expect(sent!.text).toContain("top 17%, bottom 17%");
    expect(sent!.text).toMatch(/Keep the original part unchanged.* Show more of the wooden table\.$/);
    const output = result.outputs[0]!;
    expect(output).toMatchObject({ width: 600, height: 600 });
    expect(await rgbAt(output.data, 300, 300)).toEqual(await rgbAt(coffee, 300, 200));
  });

  it("inpaints by marking the area on the photo, then keeps Gemini's pixels inside the mask only", async () => {
    // Larger than Gemini answers (it makes at most 1024 px a side): the answer is scaled back.
    const photo = await sharp(coffee).resize(1600, 1000, { fit: "fill" }).png().toBuffer();
    const mask = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: "#000" } })
      .composite([
        { input: { create: { width: 200, height: 200, channels: 3, background: "#fff" } }, left: 400, top: 400 },
      ])
      .png()
      .toBuffer();
    const prompt = "Remove the object in the masked area completely and fill it with the background around it.";
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "inpaint",
      image: photo,
      assets: { "asset-mask": mask },
      stepOptions: { prompt, maskAssetId: "asset-mask" },
    });
    const [sent] = gemini.generateRequests();
    expect(sent!.images).toHaveLength(1);
    expect(sent!.images[0]!.mimeType).toBe("image/png");
    expect(sent!.aspectRatio).toBe("3:2");
    expect(sent!.text).toContain("marked in translucent magenta");
    expect(sent!.text).toContain(`In that area: ${prompt}`);
    expect(sent!.text).toContain("must not appear");
    const marked = sent!.images[0]!.data;
    expect(await sharp(marked).metadata()).toMatchObject({ width: 1600, height: 1000 });
    const [r, g, b] = await rgbAt(marked, 500, 500);
    const [r0, g0, b0] = await rgbAt(photo, 500, 500);
    expect(r! - r0!).toBeGreaterThan(0.3 * (255 - r0!));
    expect(g!).toBeLessThan(g0! * 0.7 + 1);
    expect(b! - b0!).toBeGreaterThan(0.3 * (255 - b0!));
    expect(await rgbAt(marked, 396, 500)).toEqual([255, 0, 255]); // the outline, just outside
    expect(await rgbAt(marked, 100, 100)).toEqual(await rgbAt(photo, 100, 100));

    const output = result.outputs[0]!;
    expect(output).toMatchObject({ mime: "image/png", width: 1600, height: 1000 });
    const out = await sharp(output.data).removeAlpha().raw().toBuffer();
    const original = await sharp(photo).removeAlpha().raw().toBuffer();
    const inside = (x: number, y: number) => x >= 400 && x < 600 && y >= 400 && y < 600;
    let changedOutside = 0;
    for (let y = 0; y < 1000; y++) {
      for (let x = 0; x < 1600; x++) {
        if (inside(x, y)) continue;
        const at = (y * 1600 + x) * 3;
        if (out[at] !== original[at] || out[at + 1] !== original[at + 1] || out[at + 2] !== original[at + 2])
          changedOutside++;
      }
    }
    expect(changedOutside).toBe(0);
    // The fake inverts what it got: inside the mask the answer shows.
    expect(await rgbAt(output.data, 500, 500)).not.toEqual([r0, g0, b0]);
    expect(result).toMatchObject({ provider: "google", model: "gemini-2.5-flash-image", costMicros: 39_000 });
  });

  it("restores faces by instruction, with a sentence for a low fidelity, at the photo's own size", async () => {
    const photo = await sharp(coffee).resize(1600, 1000, { fit: "fill" }).png().toBuffer();
    const prompt = "Restore this photo: make every face sharp and natural again.";
    const result = await runCapability({
      adapters: googleOnly(),
      capability: "face-restore",
      image: photo,
      stepOptions: { prompt, fidelity: 0.2 },
    });
    const [sent] = gemini.generateRequests();
    expect(sent!.text).toBe(
      `${prompt}\nWhere a face is badly damaged or blurred, reconstruct its missing detail convincingly while keeping the person recognisable.`,
    );
    expect(sent!.images[0]!.data.equals(photo)).toBe(true);
    expect(result.outputs[0]).toMatchObject({ mime: "image/png", width: 1600, height: 1000 });
    expect(result.costMicros).toBe(39_000);
  });

  it.each(["prompt-blocked", "image-safety", "refusal"] as const)(
    "turns %s into content_blocked without trying OpenAI",
    async (behavior) => {
      gemini.behave(behavior);
      const failure = await runCapability({
        adapters: googleThenOpenAI(),
        capability: "text-to-image",
        stepOptions: { prompt: "something not allowed", aspectRatio: "1:1", count: 1 },
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe("content_blocked");
      expect(gemini.generateRequests()).toHaveLength(1);
      expect(openai.requests).toHaveLength(0);
    },
  );

  it.each(["text-only", "not-an-image"] as const)(
    "falls back to OpenAI when the answer has no usable image (%s)",
    async (behavior) => {
      gemini.behave(behavior);
      const result = await runCapability({
        adapters: googleThenOpenAI(),
        capability: "text-to-image",
        stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
      });
      expect(gemini.generateRequests()).toHaveLength(1);
      expect(result.calls.map((c) => [c.provider, c.failure, c.costMicros])).toEqual([
        ["google", "malformed", 0],
        ["openai", null, 42_000],
      ]);
    },
  );

  it("retries a 5xx and a 429, then falls back; a bad key (400 API_KEY_INVALID) falls back at once", async () => {
    gemini.queue("server-error", "rate-limited");
    const flaky = await runCapability({
      adapters: googleThenOpenAI(),
      capability: "text-to-image",
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(flaky.calls.map((c) => [c.provider, c.failure])).toEqual([
      ["google", "retriable"],
      ["google", "retriable"],
      ["openai", null],
    ]);
    expect(flaky.costMicros).toBe(42_000);

    gemini.requests.length = 0;
    const refused = await runCapability({
      adapters: [
        { adapter: googleAdapter, config: { apiKey: "AIza-wrong", baseUrl: gemini.baseUrl } },
        googleThenOpenAI()[1]!,
      ],
      capability: "text-to-image",
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(gemini.requests).toHaveLength(1);
    expect(refused.calls.map((c) => [c.provider, c.failure])).toEqual([
      ["google", "misconfigured"],
      ["openai", null],
    ]);
  });

  it("falls back when Gemini is too slow", async () => {
    gemini.behave("slow");
    const result = await runCapability({
      adapters: googleThenOpenAI(),
      capability: "text-to-image",
      timeoutSeconds: 1,
      stepOptions: { prompt: "a fox", aspectRatio: "1:1", count: 1 },
    });
    expect(result.calls.map((c) => [c.provider, c.outcome])).toEqual([
      ["google", "failed"],
      ["google", "failed"],
      ["openai", "succeeded"],
    ]);
    expect(result.provider).toBe("openai");
  });

  it("tests the connection by listing models; a bad key is a configuration problem", async () => {
    await expect(
      googleAdapter.testConnection({ apiKey: gemini.apiKey, baseUrl: gemini.baseUrl }, AbortSignal.timeout(5_000)),
    ).resolves.toBeUndefined();
    expect(gemini.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1beta/models?pageSize=1" });
    const failure = await googleAdapter
      .testConnection({ apiKey: "AIza-wrong", baseUrl: gemini.baseUrl }, AbortSignal.timeout(5_000))
      .catch((error: unknown) => error);
    expect(isProviderError(failure) && failure.failure).toBe("misconfigured");
  });
});

describe("imageOfAnswer", () => {
  const png = sharp({ create: { width: 4, height: 4, channels: 3, background: "#123456" } })
    .png()
    .toBuffer();
  const answer = (fields: Partial<Parameters<typeof imageOfAnswer>[0]>) => ({
    files: [],
    text: "",
    rawFinishReason: "STOP",
    ...fields,
  });

  it("takes a file part first, then a data URL or bare base64 in the text", async () => {
    const bytes = await png;
    expect(imageOfAnswer(answer({ files: [{ mediaType: "image/png", uint8Array: bytes }] })).equals(bytes)).toBe(true);
    expect(
      imageOfAnswer(answer({ text: `Done! data:image/png;base64,${bytes.toString("base64")}` })).equals(bytes),
    ).toBe(true);
    const bare = (
      await sharp({ create: { width: 64, height: 64, channels: 3, background: "#654321" } })
        .png({ compressionLevel: 0 })
        .toBuffer()
    ).toString("base64");
    expect(imageOfAnswer(answer({ text: bare })).toString("base64")).toBe(bare);
  });

  it("tells a safety stop and a refusal (blocked) from an answer without an image (malformed)", () => {
    const failureOf = (fields: Partial<Parameters<typeof imageOfAnswer>[0]>) => {
      try {
        imageOfAnswer(answer(fields));
      } catch (error) {
        return isProviderError(error) ? error.failure : "other";
      }
      return "none";
    };
    expect(failureOf({ rawFinishReason: "PROHIBITED_CONTENT" })).toBe("blocked");
    expect(failureOf({ providerMetadata: { google: { promptFeedback: { blockReason: "SAFETY" } } } })).toBe("blocked");
    expect(
      failureOf({ providerMetadata: { google: { promptFeedback: { blockReason: "BLOCK_REASON_UNSPECIFIED" } } } }),
    ).toBe("malformed");
    expect(failureOf({ text: "I cannot generate images of that person." })).toBe("blocked");
    expect(failureOf({ text: "Here is a lovely picture of a cat." })).toBe("malformed");
    expect(failureOf({ rawFinishReason: "NO_IMAGE" })).toBe("malformed");
  });
});
