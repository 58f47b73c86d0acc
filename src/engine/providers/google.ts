import { createGoogleGenerativeAI, type GoogleLanguageModelOptions } from "@ai-sdk/google";
import { generateText } from "ai";
import type { ToolOutput } from "../tools/types";
import type {
  BackgroundByPromptOptions,
  EditOptions,
  FaceRestoreOptions,
  ImageToVideoOptions,
  InpaintOptions,
  OutpaintOptions,
  TextToImageOptions,
} from "./capability-options";
import { capabilityTable } from "./capability-table";
import { providerErrorFromStatus, ProviderError, toProviderError } from "./errors";
import { googleError, invalidKey } from "./google-errors";
import { veoImageToVideo, veoOffer } from "./google-video";
import {
  checkVendorImage,
  closestRatio,
  editInstruction,
  prepareVendorImage,
  referenceImages,
  restoreInstruction,
  toOriginalSize,
  withAvoid,
  type VendorImage,
} from "./image-request";
import { blendMasked, markMaskedArea } from "./mask-overlay";
import { restoreOriginal, vendorOutpaintCanvas } from "./outpaint-canvas";
import { decodeDataUrl, imageOutput } from "./output";
import { apiBaseUrl, requireSetting } from "./provider-config";
import type { Capability } from "./capabilities";
import type { ModelOffer, ProviderAdapter, ProviderConfig, ToolContext } from "./types";

const defaultBaseUrl = "https://generativelanguage.googleapis.com/v1beta";
const servedCapabilities: Capability[] = [
  "text-to-image",
  "edit-by-prompt",
  "style",
  "background-by-prompt",
  "outpaint",
  "inpaint",
  "face-restore",
];

/**
 * $30 per million output tokens, 1290 tokens per image up to 1024x1024: $0.039 an image
 * (https://ai.google.dev/gemini-api/docs/pricing, Gemini 2.5 Flash Image). Input tokens cost
 * $0.30 per million, a rounding error next to that.
 */
export const googleModels: ModelOffer[] = [
  // The family is the catalog's model name: a later Gemini Flash Image can take this place.
  {
    id: "gemini-2.5-flash-image",
    family: "gemini-flash-image",
    capabilities: servedCapabilities,
    costMicros: 39_000,
    unit: "image",
  },
  veoOffer,
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
    { name: "apiKey", env: "GOOGLE_GENERATIVE_AI_API_KEY", kind: "secret", required: true },
    { name: "baseUrl", env: "GOOGLE_GENERATIVE_AI_BASE_URL", kind: "url", required: false },
  ],
  models: googleModels,
  create(config) {
    return {
      id: "google",
      capabilities: capabilityTable((context): Call => ({ config, context }), {
        "text-to-image": textToImage,
        "edit-by-prompt": (call, image, options) => edit(call, image, options, "edit"),
        style: (call, image, options) => edit(call, image, options, "style"),
        "background-by-prompt": replaceBackground,
        outpaint,
        inpaint,
        "face-restore": restoreFaces,
        "image-to-video": imageToVideo,
      }),
    };
  },
  async testConnection(config, signal) {
    let response: Response;
    try {
      response = await fetch(`${baseUrlOf(config)}/models?pageSize=1`, {
        headers: { "x-goog-api-key": requireKey(config) },
        signal,
      });
    } catch (error) {
      throw toProviderError(error);
    }
    const body = await response.text();
    if (response.ok) return;
    if (invalidKey.test(body))
      throw new ProviderError("misconfigured", "Google rejected the API key", { status: response.status });
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
  const references = await referenceImages(options, call.context);
  const prompt = editInstruction(options, kind);
  const text =
    references.length > 0 ? `${prompt}\nThe first image is the one to edit; the others are references.` : prompt;
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
  const { original, canvas, padded } = await vendorOutpaintCanvas(input, options.expand);
  const { left, top, width, height } = canvas.original;
  const border = { top, right: canvas.width - left - width, bottom: canvas.height - top - height, left };
  const sides = (["top", "right", "bottom", "left"] as const)
    .filter((side) => border[side] > 0)
    .map(
      (side) =>
        `${side} ${Math.round((border[side] / (side === "top" || side === "bottom" ? canvas.height : canvas.width)) * 100)}%`,
    );
  const text =
    "This photo was placed on a larger canvas. The blurred border around it " +
    `(${sides.join(", ")} of the canvas) is only a placeholder: repaint that border so the scene continues naturally and sharply ` +
    "beyond the original edges, with matching perspective, light and detail. Keep the original part unchanged and the canvas size the same. " +
    options.prompt;
  const filled = await generateOne(call, {
    text,
    images: [padded],
    aspectRatio: closestRatio(canvas.width, canvas.height, aspectRatios),
  });
  return imageOutput(await restoreOriginal(filled, canvas, original.data));
}

/**
 * Gemini takes no mask: the area to change is marked on the photo, and only that area of its answer
 * is kept, blended into the original at the original's size.
 */
async function inpaint(call: Call, input: Buffer, options: InpaintOptions): Promise<ToolOutput> {
  const image = await prepareVendorImage(input);
  const mask = await call.context.loadAsset(options.maskAssetId);
  const marked = await markMaskedArea(image, mask);
  const change =
    options.prompt.trim() ||
    "Remove what is there and fill the area so it blends seamlessly with its surroundings, as if it had never been there.";
  const text =
    "The area marked in translucent magenta with a magenta outline is the only part of this photo to change. " +
    `In that area: ${change}\n` +
    "Keep everything outside the marked area exactly as it is, with the same framing and size. " +
    "The magenta marking is only a guide: it must not appear anywhere in the result.";
  const filled = await generateOne(call, {
    text,
    images: [{ ...image, data: marked, mime: "image/png" }],
    aspectRatio: closestRatio(image.width, image.height, aspectRatios),
  });
  return imageOutput(await blendMasked(input, filled, mask));
}

/** Gemini restores by instruction; the result comes back at the photo's own size. */
async function restoreFaces(call: Call, input: Buffer, options: FaceRestoreOptions): Promise<ToolOutput> {
  const image = await prepareVendorImage(input);
  const restored = await generateOne(call, {
    text: restoreInstruction(options.prompt, options.fidelity),
    images: [image],
  });
  return imageOutput(await toOriginalSize(restored, input));
}

async function imageToVideo(call: Call, input: Buffer, options: ImageToVideoOptions): Promise<ToolOutput> {
  const api = { baseUrl: baseUrlOf(call.config), apiKey: requireKey(call.config), signal: call.context.signal };
  return veoImageToVideo(api, call.context, input, options);
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
            ...(request.images ?? []).map((image) => ({
              type: "file" as const,
              data: image.data,
              mediaType: image.mime,
            })),
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
const blockedFinishReasons = new Set([
  "SAFETY",
  "PROHIBITED_CONTENT",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "BLOCKLIST",
  "SPII",
]);
const refusal =
  /\b(can(?:no|')t|cannot|unable to|won't|not able to)\b[^.]*\b(create|generate|make|produce|edit|fulfil|help)|\b(safety|content) (policy|policies|guidelines)\b/i;

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
  const feedback = answer.providerMetadata?.google?.promptFeedback as
    { blockReason?: string | null } | null | undefined;
  const blockReason = feedback?.blockReason;
  if (blockReason && !blockReason.endsWith("UNSPECIFIED"))
    throw new ProviderError("blocked", `Gemini blocked the prompt (${blockReason})`);
  if (answer.rawFinishReason && blockedFinishReasons.has(answer.rawFinishReason)) {
    throw new ProviderError("blocked", `Gemini stopped for safety (${answer.rawFinishReason})`);
  }
  const file = answer.files.findLast((f) => f.mediaType.startsWith("image/"));
  if (file) return Buffer.from(file.uint8Array);
  const inText = imageInText(answer.text);
  if (inText) return inText;
  if (refusal.test(answer.text)) throw new ProviderError("blocked", `Gemini declined: ${answer.text.slice(0, 300)}`);
  throw new ProviderError(
    "malformed",
    `Gemini answered without an image (${answer.rawFinishReason ?? "no finish reason"})`,
  );
}

function imageInText(text: string): Buffer | undefined {
  const dataUrl = /data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=\s]+/.exec(text)?.[0];
  if (dataUrl) return decodeDataUrl(dataUrl)?.data;
  const bare = text.trim();
  // A part that is nothing but a long base64 run: decoding it is cheap, imageOutput checks it.
  return bare.length > 200 && /^[A-Za-z0-9+/=\s]+$/.test(bare)
    ? Buffer.from(bare.replace(/\s/g, ""), "base64")
    : undefined;
}

function requireKey(config: ProviderConfig): string {
  return requireSetting(config, "apiKey", "GOOGLE_GENERATIVE_AI_API_KEY");
}

function baseUrlOf(config: ProviderConfig): string {
  return apiBaseUrl(config, defaultBaseUrl);
}
