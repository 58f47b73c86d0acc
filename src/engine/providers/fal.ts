import { createFal } from "@ai-sdk/fal";
import { generateImage } from "ai";
import type { ToolOutput } from "../tools/types";
import type {
  EditOptions,
  FaceRestoreOptions,
  ImageToVideoOptions,
  TextToImageOptions,
  UpscaleOptions,
} from "./capability-options";
import { capabilityTable } from "./capability-table";
import { ProviderError } from "./errors";
import {
  falAiSdkFetch,
  falBlocked,
  falClient,
  readPricing,
  resultFiles,
  runQueued,
  type FalClient,
  type FalResult,
} from "./fal-api";
import {
  billedMegapixels,
  fetchOutput,
  fillCapabilities,
  klingImageToVideo,
  modelFor as vendorModelFor,
  sdkError,
  vendorImageUrl,
  type MaskFill,
} from "./fal-replicate-shared";
import { editInstruction, fidelityOf, withAvoid } from "./image-request";
import { imageOutput } from "./output";
import type { Capability } from "./capabilities";
import type { ModelOffer, ProviderAdapter, ToolContext } from "./types";
import { defaultPollTiming, type PollTiming } from "./vendor-task";

/**
 * Models and published prices (micro-USD), from each model's page on fal.ai:
 * flux/schnell $0.003 and flux/dev $0.025 per megapixel; flux-pro/kontext $0.04 per image;
 * flux-pro/v1/fill $0.05 per megapixel; esrgan $0.0025 per output megapixel; codeformer
 * $0.0021 per megapixel; birefnet/v2 "$0 per compute second"; kling-video v2.1 standard
 * image-to-video $0.28 for 5 s and $0.056 per further second, i.e. $0.056 per second.
 * Per-megapixel prices are given here for one megapixel; the cost of a call is recorded from the
 * images' real size, rounded up to whole megapixels as fal bills.
 */
export const falModels: ModelOffer[] = [
  {
    id: "fal-ai/flux/schnell",
    family: "flux-schnell",
    capabilities: ["text-to-image"],
    costMicros: 3_000,
    unit: "image",
  },
  { id: "fal-ai/flux/dev", family: "flux-dev", capabilities: ["text-to-image"], costMicros: 25_000, unit: "image" },
  {
    id: "fal-ai/flux-pro/kontext",
    family: "flux-kontext-pro",
    capabilities: ["edit-by-prompt", "style", "background-by-prompt"],
    costMicros: 40_000,
    unit: "image",
  },
  {
    id: "fal-ai/flux-pro/v1/fill",
    family: "flux-fill-pro",
    capabilities: ["inpaint", "outpaint"],
    costMicros: 50_000,
    unit: "image",
  },
  { id: "fal-ai/esrgan", family: "real-esrgan", capabilities: ["upscale"], costMicros: 2_500, unit: "image" },
  { id: "fal-ai/codeformer", family: "codeformer", capabilities: ["face-restore"], costMicros: 2_100, unit: "image" },
  { id: "fal-ai/birefnet/v2", family: "birefnet", capabilities: ["remove-background"], costMicros: 0, unit: "second" },
  {
    id: "fal-ai/kling-video/v2.1/standard/image-to-video",
    family: "kling-v2.1",
    capabilities: ["image-to-video"],
    costMicros: 56_000,
    unit: "second",
  },
];

/** Billed per megapixel of output: the recorded cost follows the images' real size. */
const perMegapixel = new Set([
  "fal-ai/flux/schnell",
  "fal-ai/flux/dev",
  "fal-ai/flux-pro/v1/fill",
  "fal-ai/esrgan",
  "fal-ai/codeformer",
]);
const typicalSeconds: Partial<Record<Capability, number>> = {
  upscale: 5,
  "face-restore": 5,
  "remove-background": 3,
  "image-to-video": 120,
};
const typicalEditSeconds = 10;

/** fal's image sizes for the ratios its presets lack (multiples of 16, about one megapixel). */
const extraSizes: Record<string, `${number}x${number}`> = { "3:2": "1248x832", "2:3": "832x1248" };

type Call = { client: FalClient; context: ToolContext; timing: PollTiming; key: string };

/** `pollTiming` is for tests, which poll fast; the default suits real requests. */
export function createFalAdapter(options: { pollTiming?: PollTiming } = {}): ProviderAdapter {
  const timing = options.pollTiming ?? defaultPollTiming;
  return {
    id: "fal",
    name: "fal",
    settings: [
      { name: "apiKey", env: "FAL_KEY", kind: "secret", required: true },
      { name: "baseUrl", env: "FAL_BASE_URL", kind: "url", required: false },
    ],
    models: falModels,
    create(config) {
      const call = (context: ToolContext): Call => ({
        client: falClient(config),
        context,
        timing,
        key: config.apiKey ?? "",
      });
      return {
        id: "fal",
        capabilities: capabilityTable(call, {
          "text-to-image": textToImage,
          "edit-by-prompt": (call, image, options) => edit(call, image, options, "edit"),
          style: (call, image, options) => edit(call, image, options, "style"),
          "background-by-prompt": (call, image, options) => edit(call, image, { prompt: options.prompt }, "edit"),
          ...fillCapabilities(fluxFill),
          upscale,
          "face-restore": restoreFaces,
          "remove-background": removeBackground,
          "image-to-video": imageToVideo,
        }),
      };
    },
    testConnection: (config, signal) => readPricing(falClient(config), signal),
  };
}

export const falAdapter = createFalAdapter();

/** FLUX through the Vercel AI SDK (fal.run, answered at once); NSFW results come flagged, not failed. */
async function textToImage(call: Call, options: TextToImageOptions): Promise<ToolOutput[]> {
  const fal = createFal({ apiKey: call.key, fetch: falAiSdkFetch(call.client, call.context) });
  const model = modelFor(call.context, "text-to-image");
  let result: Awaited<ReturnType<typeof generateImage>>;
  try {
    result = await generateImage({
      model: fal.image(model),
      prompt: withAvoid(options.prompt, options.negativePrompt),
      n: options.count ?? 1,
      maxImagesPerCall: 4,
      ...(extraSizes[options.aspectRatio]
        ? { size: extraSizes[options.aspectRatio] }
        : { aspectRatio: options.aspectRatio }),
      seed: options.seed,
      providerOptions: { fal: { enableSafetyChecker: true, outputFormat: "png" } },
      maxRetries: 0,
      abortSignal: call.context.signal,
    });
  } catch (error) {
    throw sdkError("fal", error, falBlocked);
  }
  const flags = (result.providerMetadata.fal?.images ?? []) as { nsfw?: boolean }[];
  if (flags.some((image) => image?.nsfw))
    throw new ProviderError("blocked", "fal's safety checker flagged the image (has_nsfw_concepts)");
  const outputs = await Promise.all(result.images.map((image) => imageOutput(Buffer.from(image.uint8Array))));
  recordMegapixels(call, model, outputs);
  return outputs;
}

/** FLUX Kontext [pro] edits by instruction and makes up to four images in one request. */
async function edit(call: Call, input: Buffer, options: EditOptions, kind: "edit" | "style"): Promise<ToolOutput[]> {
  const image = await vendorImageUrl(input);
  const prompt = editInstruction(options, kind);
  const numImages = Math.min(4, Math.max(1, options.count ?? 1));
  const request = { prompt, image_url: image.url, num_images: numImages, output_format: "png", safety_tolerance: "2" };
  const { output } = await queued(call, "edit-by-prompt", request, typicalEditSeconds);
  return Promise.all(
    resultFiles(output, "images").map(async (file) => imageOutput((await fetchOutput(file.url, call.context)).data)),
  );
}

/** FLUX Fill [pro], billed per megapixel of its image. */
function fluxFill(call: Call): MaskFill {
  return async (imageUrl, mask, prompt) => {
    const request = { prompt, image_url: imageUrl, mask_url: mask, output_format: "png", safety_tolerance: "2" };
    const { output } = await queued(call, "inpaint", request, typicalEditSeconds);
    const filled = await imageOutput((await fetchOutput(resultFiles(output, "images")[0]!.url, call.context)).data);
    recordMegapixels(call, modelFor(call.context, "inpaint"), [filled]);
    return filled.data;
  };
}

async function upscale(call: Call, input: Buffer, options: UpscaleOptions): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  const scale = options.scale === 4 ? 4 : 2;
  const request = { image_url: image.url, scale, model: "RealESRGAN_x4plus", output_format: "png" };
  return singleImage(call, "upscale", request, { method: "ai", scale });
}

async function restoreFaces(call: Call, input: Buffer, options: FaceRestoreOptions): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  const fidelity = fidelityOf(options);
  // upscaling 1 keeps the photo's size: this step restores, ai-upscale enlarges.
  return singleImage(call, "face-restore", { image_url: image.url, fidelity, upscaling: 1, face_upscale: true });
}

async function removeBackground(call: Call, input: Buffer): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  const request = {
    image_url: image.url,
    model: "General Use (Light)",
    operating_resolution: "1024x1024",
    output_format: "png",
  };
  return singleImage(call, "remove-background", request);
}

/** Models answering one `image`; billed per megapixel of it, or per compute second as fal measured. */
async function singleImage(
  call: Call,
  capability: Capability,
  request: Record<string, unknown>,
  meta?: Record<string, unknown>,
) {
  const { output, inferenceSeconds } = await queued(call, capability, request, typicalSeconds[capability] ?? 5);
  const result = await imageOutput((await fetchOutput(resultFiles(output, "image")[0]!.url, call.context)).data, meta);
  const model = modelFor(call.context, capability);
  if (perMegapixel.has(model)) recordMegapixels(call, model, [result]);
  else call.context.recordUsage({ units: inferenceSeconds ?? typicalSeconds[capability] ?? 0 });
  return result;
}

/**
 * Kling animates the first frame, cropped to the aspect asked for. Minutes long: the request id is
 * saved as soon as it exists, so a retried job polls it instead of paying for a second video.
 */
function imageToVideo(call: Call, input: Buffer, options: ImageToVideoOptions): Promise<ToolOutput> {
  return klingImageToVideo(input, options, call.context, async (frameUrl, duration) => {
    const request = {
      prompt: options.prompt,
      image_url: frameUrl,
      duration: String(duration),
      negative_prompt: "blur, distort, and low quality",
    };
    const { output } = await queued(call, "image-to-video", request, typicalSeconds["image-to-video"]!, true);
    return resultFiles(output, "video")[0]!.url;
  });
}

function queued(
  call: Call,
  capability: Capability,
  input: Record<string, unknown>,
  expectedSeconds: number,
  resumable = false,
): Promise<FalResult> {
  return runQueued(call.client, call.context, modelFor(call.context, capability), input, {
    timing: call.timing,
    expectedSeconds,
    resumable,
  });
}

function recordMegapixels(call: Call, model: string, outputs: ToolOutput[]) {
  const price = falModels.find((offer) => offer.id === model)?.costMicros ?? 0;
  call.context.recordUsage({
    costMicros: outputs.reduce((sum, output) => sum + price * billedMegapixels(output.width, output.height), 0),
  });
}

function modelFor(context: ToolContext, capability: Capability): string {
  return vendorModelFor("fal", falModels, context, capability);
}
