import type { ServerResponse } from "node:http";
import sharp from "sharp";
import { sendJson, startLoopback, type Loopback, type RecordedRequest } from "./loopback";
import { createSoraFake, type SoraFake } from "./openai-videos";

/**
 * A fake of the OpenAI Images API, as the Vercel AI SDK (@ai-sdk/openai 3) calls it:
 * - POST /v1/images/generations, JSON { model, prompt, n, size, quality, ... };
 * - POST /v1/images/edits, multipart: model, prompt, n, size, quality, `image` (or `image[]` when
 *   several), optional `mask` (a PNG whose transparent pixels mark what to change);
 * - GET /v1/models;
 * - the Videos API (Sora), see ./openai-videos.ts.
 * Answers follow the API reference (platform.openai.com/docs/api-reference/images): gpt-image
 * models always answer `{ created, data: [{ b64_json }], size, quality, output_format, usage }`;
 * errors are `{ error: { message, type, param, code } }` (moderation: 400 code moderation_blocked).
 */
export type OpenAIBehavior =
  | "success"
  | "server-error"
  | "rate-limited"
  | "unauthorized"
  | "moderation-blocked"
  /** 200 with `data: []`: JSON without an image. */
  | "no-image"
  /** 200 with base64 that decodes to text, not to an image. */
  | "not-an-image"
  /** Answers successfully, but only after `slowMs`. */
  | "slow";

export type OpenAIImageRequest = {
  endpoint: "generations" | "edits";
  authorization: string | undefined;
  model: string;
  prompt: string;
  n: number | undefined;
  size: string | undefined;
  quality: string | undefined;
  /** Edits only: the images in the order sent, and the field name used. */
  images: Buffer[];
  imageField: string | undefined;
  mask: Buffer | undefined;
};

export type OpenAIFake = Loopback & {
  /** What to give as OPENAI_BASE_URL (the SDK's baseURL includes /v1). */
  baseUrl: string;
  apiKey: string;
  /** The behaviour of every following image request. */
  behave(behavior: OpenAIBehavior): void;
  /** One-off behaviours for the next image requests, in order, before the default applies again. */
  queue(...behaviors: OpenAIBehavior[]): void;
  /** The image requests received so far, parsed. */
  imageRequests(): Promise<OpenAIImageRequest[]>;
  /** Sora's videos: the scenario of the next ones and what was asked. */
  videos: SoraFake;
};

export const fakeOpenAIKey = "sk-test-pixelwerk";

export async function startOpenAIFake(
  options: { apiKey?: string; slowMs?: number; retryAfterSeconds?: number } = {},
): Promise<OpenAIFake> {
  const apiKey = options.apiKey ?? fakeOpenAIKey;
  let standing: OpenAIBehavior = "success";
  const queued: OpenAIBehavior[] = [];
  const videos: SoraFake = createSoraFake(() => loopback.requests);

  const loopback = await startLoopback(async (request, response) => {
    if (request.headers.authorization !== `Bearer ${apiKey}`)
      return sendError(response, 401, unauthorizedFor(request.headers.authorization));
    if (request.method === "GET" && request.path === "/v1/models") {
      return sendJson(response, 200, {
        object: "list",
        data: ["gpt-image-1", "gpt-image-1-mini", "gpt-4o"].map((id) => ({
          id,
          object: "model",
          created: 1_745_000_000,
          owned_by: "system",
        })),
      });
    }
    if (await videos.handle(request, response)) return;
    const endpoint =
      request.method === "POST" ? /^\/v1\/images\/(generations|edits)$/.exec(request.path)?.[1] : undefined;
    if (!endpoint)
      return sendError(response, 404, {
        message: `Invalid URL (${request.method} ${request.path})`,
        type: "invalid_request_error",
      });

    const behavior = queued.shift() ?? standing;
    switch (behavior) {
      case "server-error":
        return sendError(response, 500, {
          message: "The server had an error while processing your request. Sorry about that!",
          type: "server_error",
        });
      case "rate-limited":
        return sendError(
          response,
          429,
          {
            message: "Rate limit reached for gpt-image-1 on images per minute (IPM): Limit 5, Used 5.",
            type: "requests",
            code: "rate_limit_exceeded",
          },
          { "retry-after": String(options.retryAfterSeconds ?? 1) },
        );
      case "unauthorized":
        return sendError(response, 401, unauthorizedFor(request.headers.authorization));
      case "moderation-blocked":
        return sendError(response, 400, {
          message:
            "Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID req_fake. safety_violations=[violence].",
          type: "image_generation_user_error",
          code: "moderation_blocked",
        });
      case "no-image":
        return sendJson(response, 200, { created: now(), data: [] });
      case "not-an-image":
        return sendJson(response, 200, {
          created: now(),
          data: [{ b64_json: Buffer.from("surely not a PNG").toString("base64") }],
        });
      case "slow":
        await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 5_000));
        if (response.destroyed) return;
        break;
      case "success":
        break;
    }
    const parsed = await parseImageRequest(request, endpoint as OpenAIImageRequest["endpoint"]);
    const images = await Promise.all(Array.from({ length: parsed.n ?? 1 }, (_, index) => answerImage(parsed, index)));
    return sendJson(response, 200, {
      created: now(),
      background: "opaque",
      data: images.map((png) => ({ b64_json: png.toString("base64") })),
      output_format: "png",
      quality: parsed.quality ?? "auto",
      size: parsed.size ?? "1024x1024",
      usage: {
        input_tokens: 50,
        input_tokens_details: { image_tokens: 0, text_tokens: 50 },
        output_tokens: 1056,
        total_tokens: 1106,
      },
    });
  });

  return {
    ...loopback,
    videos,
    baseUrl: `${loopback.url}/v1`,
    apiKey,
    behave: (behavior) => {
      standing = behavior;
    },
    queue: (...behaviors) => {
      queued.push(...behaviors);
    },
    imageRequests: () =>
      Promise.all(
        loopback.requests
          .filter((r) => r.method === "POST" && /^\/v1\/images\/(generations|edits)$/.test(r.path))
          .map((r) => parseImageRequest(r, r.path.endsWith("edits") ? "edits" : "generations")),
      ),
  };
}

/** OpenAI quotes the key it was sent (masked for long keys, in full for short ones). */
function unauthorizedFor(authorization: string | undefined) {
  const key = authorization?.replace(/^Bearer /, "") ?? "";
  return {
    message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: "invalid_request_error",
    code: "invalid_api_key",
  };
}

function sendError(
  response: ServerResponse,
  status: number,
  error: { message: string; type: string; code?: string },
  headers: Record<string, string> = {},
) {
  sendJson(
    response,
    status,
    { error: { message: error.message, type: error.type, param: null, code: error.code ?? null } },
    headers,
  );
}

const now = () => Math.floor(Date.now() / 1000);

async function parseImageRequest(
  request: RecordedRequest,
  endpoint: OpenAIImageRequest["endpoint"],
): Promise<OpenAIImageRequest> {
  const authorization = request.headers.authorization;
  if (endpoint === "generations") {
    const body = JSON.parse(request.body.toString("utf8")) as Record<string, unknown>;
    return {
      endpoint,
      authorization,
      model: String(body.model),
      prompt: String(body.prompt),
      n: body.n as number | undefined,
      size: body.size as string | undefined,
      quality: body.quality as string | undefined,
      images: [],
      imageField: undefined,
      mask: undefined,
    };
  }
  // undici parses multipart bodies the same way a server framework would.
  const form = await new Request("http://fake/", {
    method: "POST",
    headers: { "content-type": String(request.headers["content-type"]) },
    body: new Uint8Array(request.body),
  }).formData();
  const imageField = form.has("image[]") ? "image[]" : form.has("image") ? "image" : undefined;
  const images = await Promise.all(
    form.getAll(imageField ?? "image").map(async (file) => Buffer.from(await (file as Blob).arrayBuffer())),
  );
  const mask = form.get("mask");
  const text = (name: string) => (form.has(name) ? String(form.get(name)) : undefined);
  return {
    endpoint,
    authorization,
    model: String(form.get("model")),
    prompt: String(form.get("prompt")),
    n: form.has("n") ? Number(form.get("n")) : undefined,
    size: text("size"),
    quality: text("quality"),
    images,
    imageField,
    mask: mask ? Buffer.from(await (mask as Blob).arrayBuffer()) : undefined,
  };
}

/**
 * A real PNG of the requested size. A generation is a flat colour per index; an edit is the first
 * image scaled to the size, with the mask's transparent area painted green, as an inpaint fills it.
 */
async function answerImage(request: OpenAIImageRequest, index: number): Promise<Buffer> {
  const [width, height] = (request.size ?? "1024x1024").split("x").map(Number) as [number, number];
  if (request.endpoint === "generations" || request.images.length === 0) {
    const background = { r: 40 + index * 40, g: 90, b: 200 };
    return sharp({ create: { width, height, channels: 3, background } })
      .png()
      .toBuffer();
  }
  const base = sharp(request.images[0]).resize(width, height, { fit: "fill" }).removeAlpha();
  if (!request.mask) return base.png().toBuffer();
  const editable = await sharp(request.mask)
    .resize(width, height, { fit: "fill" })
    .ensureAlpha()
    .extractChannel(3)
    .negate()
    .toBuffer();
  const green = await sharp({ create: { width, height, channels: 3, background: { r: 0, g: 255, b: 0 } } })
    .joinChannel(editable)
    .png()
    .toBuffer();
  return sharp(await base.png().toBuffer())
    .composite([{ input: green }])
    .removeAlpha()
    .png()
    .toBuffer();
}
