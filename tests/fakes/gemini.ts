import type { ServerResponse } from "node:http";
import sharp from "sharp";
import { createVeoFake, type VeoFake } from "./gemini-videos";
import { sendJson, startLoopback, type Loopback, type RecordedRequest } from "./loopback";

/**
 * A fake of the Gemini API (generativelanguage.googleapis.com/v1beta) as @ai-sdk/google 3 calls it:
 * - POST /v1beta/models/{model}:generateContent with header x-goog-api-key and a JSON body
 *   { contents: [{ role, parts: [{ text } | { inlineData: { mimeType, data } }] }], generationConfig:
 *   { responseModalities, imageConfig: { aspectRatio }, seed } };
 * - GET /v1beta/models;
 * - Veo's long-running video operations and the file download, see ./gemini-videos.ts.
 * The key comes as the x-goog-api-key header or the `key` query parameter, as Google accepts both.
 * Answers follow ai.google.dev/api/generate-content: `candidates[0].content.parts` with text and
 * inlineData parts, `finishReason`, `promptFeedback.blockReason` when the prompt is blocked,
 * `usageMetadata`; errors are `{ error: { code, message, status, details } }` (a bad key is a 400
 * INVALID_ARGUMENT with reason API_KEY_INVALID, as Google answers it).
 */
export type GeminiBehavior =
  | "success"
  /** The image comes back inside a text part, as a markdown data URL. */
  | "image-in-text"
  | "server-error"
  | "rate-limited"
  | "unauthorized"
  /** promptFeedback.blockReason, no candidates. */
  | "prompt-blocked"
  /** A candidate that ends with finishReason IMAGE_SAFETY and no content. */
  | "image-safety"
  /** Text only, no image, no refusal. */
  | "text-only"
  /** Text only: the model declines. */
  | "refusal"
  /** An inlineData part whose bytes are not an image. */
  | "not-an-image"
  | "slow";

export type GeminiRequest = {
  model: string;
  apiKey: string | undefined;
  /** All text parts of the request, joined with newlines. */
  text: string;
  images: { mimeType: string; data: Buffer }[];
  responseModalities: string[] | undefined;
  aspectRatio: string | undefined;
  seed: number | undefined;
};

export type GeminiFake = Loopback & {
  /** What to give as GOOGLE_GENERATIVE_AI_BASE_URL. */
  baseUrl: string;
  apiKey: string;
  behave(behavior: GeminiBehavior): void;
  queue(...behaviors: GeminiBehavior[]): void;
  generateRequests(): GeminiRequest[];
  /** Veo's operations: the scenario of the next ones and what was asked. */
  videos: VeoFake;
};

export const fakeGeminiKey = "AIza-test-pixelwerk";

// The output sizes Google documents for gemini-2.5-flash-image per aspect ratio.
const sizes: Record<string, [number, number]> = {
  "1:1": [1024, 1024],
  "2:3": [832, 1248],
  "3:2": [1248, 832],
  "3:4": [864, 1184],
  "4:3": [1184, 864],
  "4:5": [896, 1152],
  "5:4": [1152, 896],
  "9:16": [768, 1344],
  "16:9": [1344, 768],
  "21:9": [1536, 672],
};

export async function startGeminiFake(options: { apiKey?: string; slowMs?: number } = {}): Promise<GeminiFake> {
  const apiKey = options.apiKey ?? fakeGeminiKey;
  let standing: GeminiBehavior = "success";
  const queued: GeminiBehavior[] = [];
  const videos: VeoFake = createVeoFake(() => loopback.requests);

  const loopback = await startLoopback(async (request, response) => {
    const key = request.headers["x-goog-api-key"] ?? new URL(request.path, "http://fake").searchParams.get("key");
    // Stored files are fetched through the signed URL a download redirects to, without the key.
    const storedFile = request.path.startsWith("/stored-videos/");
    if (key !== apiKey && !storedFile) return sendInvalidKey(response);
    if (await videos.handle(request, response, loopback.url)) return;
    if (request.method === "GET" && /^\/v1beta\/models(\?|$)/.test(request.path)) {
      return sendJson(response, 200, {
        models: ["gemini-2.5-flash-image", "gemini-2.5-flash"].map((id) => ({
          name: `models/${id}`,
          displayName: id,
          supportedGenerationMethods: ["generateContent", "countTokens"],
        })),
      });
    }
    const model =
      request.method === "POST" ? /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(request.path)?.[1] : undefined;
    if (!model) return sendError(response, 404, "NOT_FOUND", `Method not found: ${request.method} ${request.path}`);

    const behavior = queued.shift() ?? standing;
    const usageMetadata = { promptTokenCount: 12, candidatesTokenCount: 1290, totalTokenCount: 1302 };
    const answer = (parts: unknown[] | undefined, finishReason: string) =>
      sendJson(response, 200, {
        candidates: [{ ...(parts ? { content: { role: "model", parts } } : {}), finishReason, index: 0 }],
        usageMetadata,
        modelVersion: model,
        responseId: `fake-${Date.now()}`,
      });
    switch (behavior) {
      case "server-error":
        return sendError(
          response,
          500,
          "INTERNAL",
          "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
        );
      case "rate-limited":
        return sendError(response, 429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
      case "unauthorized":
        return sendInvalidKey(response);
      case "prompt-blocked":
        return sendJson(response, 200, {
          promptFeedback: { blockReason: "PROHIBITED_CONTENT" },
          usageMetadata,
          modelVersion: model,
        });
      case "image-safety":
        return answer(undefined, "IMAGE_SAFETY");
      case "text-only":
        return answer([{ text: "A cosy cabin in the snow, warm light in the windows." }], "STOP");
      case "refusal":
        return answer([{ text: "I'm unable to create that image, as it goes against my safety guidelines." }], "STOP");
      case "not-an-image":
        return answer(
          [{ inlineData: { mimeType: "image/png", data: Buffer.from("surely not a PNG").toString("base64") } }],
          "STOP",
        );
      case "slow":
        await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 5_000));
        if (response.destroyed) return;
        break;
      case "success":
      case "image-in-text":
        break;
    }
    const png = (await answerImage(parseGenerateRequest(request))).toString("base64");
    if (behavior === "image-in-text") {
      return answer([{ text: `Here is the edited picture:\n\n![image](data:image/png;base64,${png})` }], "STOP");
    }
    return answer([{ text: "Here you go." }, { inlineData: { mimeType: "image/png", data: png } }], "STOP");
  });

  return {
    ...loopback,
    videos,
    baseUrl: `${loopback.url}/v1beta`,
    apiKey,
    behave: (behavior) => {
      standing = behavior;
    },
    queue: (...behaviors) => {
      queued.push(...behaviors);
    },
    generateRequests: () =>
      loopback.requests
        .filter((r) => r.method === "POST" && r.path.endsWith(":generateContent"))
        .map(parseGenerateRequest),
  };
}

function sendError(response: ServerResponse, code: number, status: string, message: string, details?: unknown[]) {
  sendJson(response, code, { error: { code, message, status, ...(details ? { details } : {}) } });
}

function sendInvalidKey(response: ServerResponse) {
  sendError(response, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "API_KEY_INVALID",
      domain: "googleapis.com",
      metadata: { service: "generativelanguage.googleapis.com" },
    },
  ]);
}

type Part = { text?: string; inlineData?: { mimeType: string; data: string } };

function parseGenerateRequest(request: RecordedRequest): GeminiRequest {
  const body = JSON.parse(request.body.toString("utf8")) as {
    contents: { parts: Part[] }[];
    generationConfig?: { responseModalities?: string[]; imageConfig?: { aspectRatio?: string }; seed?: number };
  };
  const parts = body.contents.flatMap((content) => content.parts);
  return {
    model: /models\/([^/:]+):/.exec(request.path)?.[1] ?? "",
    apiKey: request.headers["x-goog-api-key"] as string | undefined,
    text: parts.flatMap((part) => (part.text ? [part.text] : [])).join("\n"),
    images: parts.flatMap((part) =>
      part.inlineData
        ? [{ mimeType: part.inlineData.mimeType, data: Buffer.from(part.inlineData.data, "base64") }]
        : [],
    ),
    responseModalities: body.generationConfig?.responseModalities,
    aspectRatio: body.generationConfig?.imageConfig?.aspectRatio,
    seed: body.generationConfig?.seed,
  };
}

/**
 * A real PNG: with an input image, that image (longest side at most 1024, as Gemini answers edits)
 * with its colours inverted, so tests can tell it went through the fake; without, a flat colour at
 * the documented size of the asked aspect ratio.
 */
async function answerImage(request: GeminiRequest): Promise<Buffer> {
  const input = request.images[0];
  if (input) {
    return sharp(input.data)
      .resize(1024, 1024, { fit: "inside", withoutEnlargement: true })
      .removeAlpha()
      .negate()
      .png()
      .toBuffer();
  }
  const [width, height] = sizes[request.aspectRatio ?? "1:1"] ?? sizes["1:1"]!;
  return sharp({ create: { width, height, channels: 3, background: { r: 230, g: 120, b: 30 } } })
    .png()
    .toBuffer();
}
