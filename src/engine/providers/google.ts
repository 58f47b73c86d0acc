import { createGoogleGenerativeAI, type GoogleLanguageModelOptions } from "@ai-sdk/google";
import { APICallError, generateText, RetryError } from "ai";
import type { ToolOutput } from "../tools/types";
import type { BackgroundByPromptOptions, EditOptions, OutpaintOptions, TextToImageOptions } from "./capability-options";
import { providerErrorFromStatus, ProviderError, toProviderError } from "./errors";
import { padForOutpaint, restoreOriginal } from "./outpaint-canvas";
import { decodeDataUrl, imageOutput } from "./output";
import type { Capability, ModelOffer, ProviderAdapter, ProviderConfig, ToolContext } from "./types";
import { checkVendorImage, closestRatio, prepareVendorImage, requireImage, styleInstruction, withAvoid, type VendorImage } from "./image-request";

const defaultBaseUrl = "https://generativelanguage.googleapis.com/v1beta";
const servedCapabilities: Capability[] = ["text-to-image", "edit-by-prompt", "style", "background-by-prompt", "outpaint"];

/**
 * $30 per million output tokens, 1290 tokens per image up to 1024x1024: $0.039 an image
 * (https://ai.google.dev/gemini-api/docs/pricing, Gemini 2.5 Flash Image). Input tokens cost
 * $0.30 per million, a rounding error next to that.
 */
export const googleModels: ModelOffer[] = [
  // The family is the catalog's model name: a later Gemini Flash Image can take this place.
  { id: "gemini-2.5-flash-image", family: "gemini-flash-image", capabilities: servedCapabilities, costMicros: 39_000, unit: "image" },
];

/** The aspect ratios Gemini's imageConfig accepts (ai.google.dev/gemini-api/docs/image-generation). */
const aspectRatios = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"] as const;
type GeminiAspectRatio = (typeof aspectRatios)[number];

type Call = { config: ProviderConfig; context: ToolContext };
type Request = { text: string; images?: VendorImage[]; aspectRatio?: GeminiAspectRatio; seed?: number };

export const googleAdapter: ProviderAdapter = {
  id: "google",
  name: "Google Gemini",
  settings: [
    { name: "apiKey", env: "GOOGLE_GENERATIVE_AI_API_KEY", secret: true, required: true },
    { name: "baseUrl", env: "GOOGLE_GENERATIVE_AI_BASE_URL", secret: false, required: false },
  ],
  models: googleModels,
  create(config) {
    const call = (context: ToolContext): Call => ({ config, context });
    return {
      id: "google",
      capabilities: {
        "text-to-image": (_input, options, context) => textToImage(call(context), options as TextToImageOptions),
        "edit-by-prompt": (input, options, context) => edit(call(context), requireImage(input), options as EditOptions, "edit"),
        style: (input, options, context) => edit(call(context), requireImage(input), options as EditOptions, "style"),
        "background-by-prompt": (input, options, context) =>
          replaceBackground(call(context), requireImage(input), options as BackgroundByPromptOptions),
        outpaint: (input, options, context) => outpaint(call(context), requireImage(input), options as OutpaintOptions),
      },
    };
  },
  async testConnection(config, signal) {
    let response: Response;
    try {
      response = await fetch(`${baseUrlOf(config)}/models?pageSize=1`, { headers: { "x-goog-api-key": requireKey(config) }, signal });
    } catch (error) {
      throw toProviderError(error);
    }
    const body = await response.text();
    if (response.ok) return;
    if (invalidKey.test(body)) throw new ProviderError("misconfigured", "Google rejected the API key", { status: response.status });
    throw providerErrorFromStatus(response.status, `Google answered ${response.status} to GET /models`);
  },
};

async function textToImage(call: Call, options: TextToImageOptions): Promise<ToolOutput[]> {
  const text = `Generate an image: ${withAvoid(options.prompt, options.negativePrompt)}`;
  return generateMany(call, options.count, (index) => ({
    text,
    aspectRatio: options.aspectRatio,
    // Several calls with one seed would make the same picture several times.
    seed: options.seed === undefined ? undefined : options.seed + index,
  }));
}

async function edit(call: Call, input: Buffer, options: EditOptions, kind: "edit" | "style"): Promise<ToolOutput[]> {
  const image = await prepareVendorImage(input);
  const references = await Promise.all((options.referenceAssetIds ?? []).map(async (id) => prepareVendorImage(await call.context.loadAsset(id))));
  const prompt = kind === "style" ? styleInstruction(options.prompt, options.strength) : options.prompt;
  const text =
    references.length > 0
      ? `${withAvoid(prompt, options.negativePrompt)}\nThe first image is the one to edit; the others are references.`
      : withAvoid(prompt, options.negativePrompt);
  return generateMany(call, options.count ?? 1, () => ({ text, images: [image, ...references] }));
}

async function replaceBackground(call: Call, input: Buffer, options: BackgroundByPromptOptions): Promise<ToolOutput> {
  const image = await prepareVendorImage(input);
  // The catalog words the instruction (replace only the background, keep the subject).
  const text = options.prompt;
  return imageOutput(await generateOne(call, { text, images: [image] }));
}

/** Gemini takes no mask: the padded canvas goes in with words that say where the new border is. */
async function outpaint(call: Call, input: Buffer, options: OutpaintOptions): Promise<ToolOutput> {
  const original = await prepareVendorImage(input);
  const canvas = await padForOutpaint(original.data, options.expand);
  const padded = await prepareVendorImage(canvas.image);
  const { left, top, width, height } = canvas.original;
  const border = { top, right: canvas.width - left - width, bottom: canvas.height - top - height, left };
  const sides = (["top", "right", "bottom", "left"] as const)
    .filter((side) => border[side] > 0)
    .map((side) => `${side} ${Math.round((border[side] / (side === "top" || side === "bottom" ? canvas.height : canvas.width)) * 100)}%`);
  const text =
    "This photo was placed on a larger canvas. The blurred border around it " +
    `(${sides.join(", ")} of the canvas) is only a placeholder: repaint that border so the scene continues naturally and sharply ` +
    "beyond the original edges, with matching perspective, light and detail. Keep the original part unchanged and the canvas size the same. " +
    options.prompt;
  const filled = await generateOne(call, { text, images: [padded], aspectRatio: closestRatio(canvas.width, canvas.height, aspectRatios) });
  return imageOutput(await restoreOriginal(filled, canvas, original.data));
}

/** Gemini makes one image per call: several images are several calls, made side by side. */
async function generateMany(call: Call, count: number, request: (index: number) => Request): Promise<ToolOutput[]> {
  let done = 0;
  return Promise.all(
    Array.from({ length: Math.max(1, count) }, async (_, index) => {
      const output = await imageOutput(await generateOne(call, request(index)));
      await call.context.reportProgress(++done / count);
      return output;
    }),
  );
}

async function generateOne(call: Call, request: Request): Promise<Buffer> {
  const google = createGoogleGenerativeAI({ apiKey: requireKey(call.config), baseURL: baseUrlOf(call.config) });
  const providerOptions: GoogleLanguageModelOptions = {
    responseModalities: ["IMAGE", "TEXT"],
    ...(request.aspectRatio ? { imageConfig: { aspectRatio: request.aspectRatio } } : {}),
  };
  let result: Awaited<ReturnType<typeof generateText>>;
  try {
    result = await generateText({
      model: google(call.context.model?.id ?? "gemini-2.5-flash-image"),
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: request.text },
            ...(request.images ?? []).map((image) => ({ type: "file" as const, data: image.data, mediaType: image.mime })),
          ],
        },
      ],
      seed: request.seed,
      providerOptions: { google: providerOptions },
      // The pipeline retries and falls back; a retry inside the SDK would hide the failure from it.
      maxRetries: 0,
      abortSignal: call.context.signal,
    });
  } catch (error) {
    throw googleError(error);
  }
  return checkVendorImage(imageOfAnswer(result));
}

/** Finish reasons and prompt block reasons that mean Google's safety filters stopped the answer. */
const blockedFinishReasons = new Set(["SAFETY", "PROHIBITED_CONTENT", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "BLOCKLIST", "SPII"]);
const refusal = /\b(can(?:no|')t|cannot|unable to|won't|not able to)\b[^.]*\b(create|generate|make|produce|edit|fulfil|help)|\b(safety|content) (policy|policies|guidelines)\b/i;

type Answer = {
  files: { mediaType: string; uint8Array: Uint8Array }[];
  text: string;
  rawFinishReason: string | undefined;
  providerMetadata?: Record<string, Record<string, unknown>> | undefined;
};

/**
 * The image of a Gemini answer. It comes as an inlineData part (a file), or, from some models and
 * proxies, as a data URL or bare base64 inside a text part. No image and a refusal in the text is a
 * block; no image otherwise is an answer we cannot use.
 */
export function imageOfAnswer(answer: Answer): Buffer {
  const feedback = answer.providerMetadata?.google?.promptFeedback as { blockReason?: string | null } | null | undefined;
  const blockReason = feedback?.blockReason;
  if (blockReason && !blockReason.endsWith("UNSPECIFIED")) throw new ProviderError("blocked", `Gemini blocked the prompt (${blockReason})`);
  if (answer.rawFinishReason && blockedFinishReasons.has(answer.rawFinishReason)) {
    throw new ProviderError("blocked", `Gemini stopped for safety (${answer.rawFinishReason})`);
  }
  const file = answer.files.findLast((f) => f.mediaType.startsWith("image/"));
  if (file) return Buffer.from(file.uint8Array);
  const inText = imageInText(answer.text);
  if (inText) return inText;
  if (refusal.test(answer.text)) throw new ProviderError("blocked", `Gemini declined: ${answer.text.slice(0, 300)}`);
  throw new ProviderError("malformed", `Gemini answered without an image (${answer.rawFinishReason ?? "no finish reason"})`);
}

function imageInText(text: string): Buffer | undefined {
  const dataUrl = /data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=\s]+/.exec(text)?.[0];
  if (dataUrl) return decodeDataUrl(dataUrl)?.data;
  const bare = text.trim();
  // A part that is nothing but a long base64 run: decoding it is cheap, imageOutput checks it.
  return bare.length > 200 && /^[A-Za-z0-9+/=\s]+$/.test(bare) ? Buffer.from(bare.replace(/\s/g, ""), "base64") : undefined;
}

const invalidKey = /API_KEY_INVALID|API key not valid|API key expired/;
/** A key without billing, a region Google does not serve: another provider can do it. */
const accountProblem = /API_KEY_INVALID|API key not valid|API key expired|location is not supported|billing/i;

export function googleError(thrown: unknown): ProviderError {
  const error = RetryError.isInstance(thrown) && thrown.lastError ? thrown.lastError : thrown;
  if (!APICallError.isInstance(error)) return toProviderError(error);
  const status = error.statusCode;
  if (status !== undefined && status < 300) return new ProviderError("malformed", `Gemini's answer could not be read: ${error.message}`, { status, cause: error });
  // Google answers a bad key with 400 INVALID_ARGUMENT, which would otherwise read as a bad request.
  if (accountProblem.test(`${error.message} ${error.responseBody ?? ""}`)) {
    return new ProviderError("misconfigured", error.message, { status, cause: error });
  }
  if (status === undefined) return toProviderError(error);
  const { failure, retryAfterSeconds } = providerErrorFromStatus(status, error.message, error.responseHeaders?.["retry-after"]);
  return new ProviderError(failure, error.message, { status, retryAfterSeconds, cause: error });
}




function requireKey(config: ProviderConfig): string {
  if (!config.apiKey) throw new ProviderError("misconfigured", "GOOGLE_GENERATIVE_AI_API_KEY is not set");
  return config.apiKey;
}

function baseUrlOf(config: ProviderConfig): string {
  return (config.baseUrl || defaultBaseUrl).replace(/\/+$/, "");
}
