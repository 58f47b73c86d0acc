import { createOpenAI } from "@ai-sdk/openai";
import { generateImage } from "ai";
import { sharp } from "../sharp";
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
import { providerErrorFromStatus, toProviderError } from "./errors";
import { blendMasked } from "./mask-overlay";
import { openaiError } from "./openai-errors";
import { soraImageToVideo, soraOffer } from "./openai-video";
import { restoreOriginal, vendorOutpaintCanvas } from "./outpaint-canvas";
import { imageOutput } from "./output";
import { apiBaseUrl, requireSetting } from "./provider-config";
import type { Capability } from "./capabilities";
import type { ModelOffer, ProviderAdapter, ProviderConfig, ToolContext } from "./types";
import {
  checkVendorImage,
  closestRatio,
  cropToAspectRatio,
  editInstruction,
  prepareVendorImage,
  referenceImages,
  restoreInstruction,
  toOriginalSize,
  withAvoid,
  type VendorImage,
} from "./image-request";

const defaultBaseUrl = "https://api.openai.com/v1";
const servedCapabilities: Capability[] = [
  "text-to-image",
  "edit-by-prompt",
  "style",
  "inpaint",
  "outpaint",
  "background-by-prompt",
  "face-restore",
];

/**
 * Prices per image at quality "medium", 1024x1024, from https://platform.openai.com/docs/pricing
 * (image generation table): gpt-image-1 $0.042, gpt-image-1-mini $0.011. Every request asks for
 * "medium" so this table holds (the API's default "auto" may pick "high", four times the price).
 */
export const openaiModels: ModelOffer[] = [
  { id: "gpt-image-1", family: "gpt-image-1", capabilities: servedCapabilities, costMicros: 42_000, unit: "image" },
  {
    id: "gpt-image-1-mini",
    family: "gpt-image-1-mini",
    capabilities: servedCapabilities,
    costMicros: 11_000,
    unit: "image",
  },
  soraOffer,
];

/** The sizes gpt-image models make. */
const sizes = { "1:1": "1024x1024", "3:2": "1536x1024", "2:3": "1024x1536" } as const;
type Size = (typeof sizes)[keyof typeof sizes];

type Call = { config: ProviderConfig; context: ToolContext };
type ImagePrompt = Parameters<typeof generateImage>[0]["prompt"];

export const openaiAdapter: ProviderAdapter = {
  id: "openai",
  name: "OpenAI",
  settings: [
    { name: "apiKey", env: "OPENAI_API_KEY", kind: "secret", required: true },
    { name: "baseUrl", env: "OPENAI_BASE_URL", kind: "url", required: false },
  ],
  models: openaiModels,
  create(config) {
    return {
      id: "openai",
      capabilities: capabilityTable((context): Call => ({ config, context }), {
        "text-to-image": textToImage,
        "edit-by-prompt": (call, image, options) => edit(call, image, options, "edit"),
        style: (call, image, options) => edit(call, image, options, "style"),
        inpaint,
        outpaint,
        "background-by-prompt": replaceBackground,
        "face-restore": restoreFaces,
        "image-to-video": imageToVideo,
      }),
    };
  },
  async testConnection(config, signal) {
    let response: Response;
    try {
      response = await fetch(`${baseUrlOf(config)}/models`, {
        headers: { authorization: `Bearer ${requireKey(config)}` },
        signal,
      });
    } catch (error) {
      throw toProviderError(error);
    }
    await response.body?.cancel();
    if (!response.ok)
      throw providerErrorFromStatus(response.status, `OpenAI answered ${response.status} to GET /models`);
  },
};

async function textToImage(call: Call, options: TextToImageOptions): Promise<ToolOutput[]> {
  const ratio = closestRatio(...dimensionsOf(options.aspectRatio), Object.keys(sizes) as (keyof typeof sizes)[]);
  const images = await generate(call, withAvoid(options.prompt, options.negativePrompt), options.count, sizes[ratio]);
  return Promise.all(images.map(async (image) => imageOutput(await cropToAspectRatio(image, options.aspectRatio))));
}

async function edit(call: Call, input: Buffer, options: EditOptions, kind: "edit" | "style"): Promise<ToolOutput[]> {
  const image = await prepareVendorImage(input);
  const references = await referenceImages(options, call.context);
  const text = editInstruction(options, kind);
  const images = await generate(
    call,
    { images: [image.data, ...references.map((r) => r.data)], text },
    options.count ?? 1,
    sizeFor(image),
  );
  return Promise.all(images.map((data) => imageOutput(data)));
}

async function replaceBackground(call: Call, input: Buffer, options: BackgroundByPromptOptions): Promise<ToolOutput> {
  const image = await prepareVendorImage(input);
  // The catalog words the instruction (replace only the background, keep the subject).
  const text = options.prompt;
  const [result] = await generate(call, { images: [image.data], text }, 1, sizeFor(image));
  return imageOutput(result!);
}

/** gpt-image restores by instruction; the result comes back at the photo's own size. */
async function restoreFaces(call: Call, input: Buffer, options: FaceRestoreOptions): Promise<ToolOutput> {
  const image = await prepareVendorImage(input);
  const text = restoreInstruction(options.prompt, options.fidelity);
  const [result] = await generate(call, { images: [image.data], text }, 1, sizeFor(image));
  return imageOutput(await toOriginalSize(result!, input));
}

async function imageToVideo(call: Call, input: Buffer, options: ImageToVideoOptions): Promise<ToolOutput> {
  const api = { baseUrl: baseUrlOf(call.config), apiKey: requireKey(call.config), signal: call.context.signal };
  return soraImageToVideo(api, call.context, input, options);
}

async function inpaint(call: Call, input: Buffer, options: InpaintOptions): Promise<ToolOutput> {
  const image = await prepareVendorImage(input);
  const ourMask = await call.context.loadAsset(options.maskAssetId);
  const text =
    options.prompt.trim() ||
    "Remove what is in the marked area and fill it so it blends seamlessly with its surroundings, as if it had never been there.";
  const [result] = await generate(
    call,
    { images: [image.data], text, mask: await toOpenAIMask(ourMask, image.width, image.height) },
    1,
    sizeFor(image),
  );
  return imageOutput(await blendMasked(input, result!, ourMask));
}

async function outpaint(call: Call, input: Buffer, options: OutpaintOptions): Promise<ToolOutput> {
  const { original, canvas, padded } = await vendorOutpaintCanvas(input, options.expand);
  const text =
    `Extend this picture into the marked border so the scene continues naturally beyond its edges. ${options.prompt}`.trim();
  const [result] = await generate(
    call,
    { images: [padded.data], text, mask: await toOpenAIMask(canvas.mask, padded.width, padded.height) },
    1,
    sizeFor(padded),
  );
  return imageOutput(await restoreOriginal(result!, canvas, original.data));
}

/**
 * Our masks are white where to change; OpenAI's mask is a PNG the size of the image whose fully
 * transparent pixels mark what to change. Grey edges are decided at the middle: OpenAI reads
 * partly transparent pixels as "keep".
 */
export async function toOpenAIMask(mask: Buffer, width: number, height: number): Promise<Buffer> {
  const keep = await sharp(mask)
    .resize(width, height, { fit: "fill" })
    .greyscale()
    .threshold(128)
    .negate()
    .toColourspace("b-w")
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: "#000000" } })
    .joinChannel(keep)
    .png()
    .toBuffer();
}

async function generate(call: Call, prompt: ImagePrompt, count: number, size: Size): Promise<Buffer[]> {
  const openai = createOpenAI({ apiKey: requireKey(call.config), baseURL: baseUrlOf(call.config) });
  try {
    const result = await generateImage({
      model: openai.image(call.context.model?.id ?? "gpt-image-1"),
      prompt,
      n: count,
      size,
      providerOptions: { openai: { quality: "medium" } },
      // The pipeline retries and falls back; a retry inside the SDK would hide the failure from it.
      maxRetries: 0,
      abortSignal: call.context.signal,
    });
    return await Promise.all(result.images.map((image) => checkVendorImage(Buffer.from(image.uint8Array))));
  } catch (error) {
    throw openaiError(error);
  }
}

function sizeFor(image: VendorImage): Size {
  return sizes[closestRatio(image.width, image.height, Object.keys(sizes) as (keyof typeof sizes)[])];
}

function dimensionsOf(aspectRatio: string): [number, number] {
  return aspectRatio.split(":").map(Number) as [number, number];
}

function requireKey(config: ProviderConfig): string {
  return requireSetting(config, "apiKey", "OPENAI_API_KEY");
}

function baseUrlOf(config: ProviderConfig): string {
  return apiBaseUrl(config, defaultBaseUrl);
}
