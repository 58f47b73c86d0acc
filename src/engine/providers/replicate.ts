import { createReplicate } from "@ai-sdk/replicate";
import { generateImage } from "ai";
import type { ToolOutput } from "../tools/types";
import type {
  BackgroundByPromptOptions,
  EditOptions,
  FaceRestoreOptions,
  ImageToVideoOptions,
  TextToImageOptions,
  UpscaleOptions,
} from "./capability-options";
import { capabilityTable } from "./capability-table";
import {
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
import {
  aiSdkFetch,
  apiBaseOf,
  outputUrls,
  readAccount,
  replicateBlocked,
  replicateClient,
  runPrediction,
  type Prediction,
  type ReplicateClient,
} from "./replicate-api";
import type { Capability } from "./capabilities";
import type { ModelOffer, ProviderAdapter, ToolContext } from "./types";
import { defaultPollTiming, progressReporter, type PollTiming } from "./vendor-task";

/** GPU time at Replicate, https://replicate.com/pricing: Nvidia T4 $0.000225 per second. */
const t4PerSecond = 225;

/**
 * Models and published prices (micro-USD), from each model's page on replicate.com:
 * flux-schnell $0.003 and flux-dev $0.025 per output image; flux-kontext-pro $0.04 and
 * flux-fill-pro $0.05 per output image; kling-v2.1 (standard, 720p) $0.05 per second of video.
 * Community models run on a T4 and are billed by GPU time (metrics.predict_time).
 */
export const replicateModels: ModelOffer[] = [
  {
    id: "black-forest-labs/flux-schnell",
    family: "flux-schnell",
    capabilities: ["text-to-image"],
    costMicros: 3_000,
    unit: "image",
  },
  {
    id: "black-forest-labs/flux-dev",
    family: "flux-dev",
    capabilities: ["text-to-image"],
    costMicros: 25_000,
    unit: "image",
  },
  {
    id: "black-forest-labs/flux-kontext-pro",
    family: "flux-kontext-pro",
    capabilities: ["edit-by-prompt", "style", "background-by-prompt"],
    costMicros: 40_000,
    unit: "image",
  },
  {
    id: "black-forest-labs/flux-fill-pro",
    family: "flux-fill-pro",
    capabilities: ["inpaint", "outpaint"],
    costMicros: 50_000,
    unit: "image",
  },
  {
    id: "nightmareai/real-esrgan:f121d640bd286e1fdc67f9799164c1d5be36ff74576ee11c803ae5b665dd46aa",
    family: "real-esrgan",
    capabilities: ["upscale"],
    costMicros: t4PerSecond,
    unit: "second",
  },
  {
    id: "sczhou/codeformer:cc4956dd26fa5a7185d5660cc9100fab1b8070a1d1654a8bb5eb6d443b020bb2",
    family: "codeformer",
    capabilities: ["face-restore"],
    costMicros: t4PerSecond,
    unit: "second",
  },
  {
    id: "851-labs/background-remover:a029dff38972b5fda4ec5d75d7d1cd25aeff621d2cf4946a41055d7db66b80bc",
    family: "background-remover",
    capabilities: ["remove-background"],
    costMicros: t4PerSecond,
    unit: "second",
  },
  {
    id: "kwaivgi/kling-v2.1",
    family: "kling-v2.1",
    capabilities: ["image-to-video"],
    costMicros: 50_000,
    unit: "second",
  },
];

/** What each model usually takes, in seconds: the progress bar's pace, and the billed time when metrics are missing. */
const typicalSeconds: Record<string, number> = {
  "text-to-image": 4,
  upscale: 6,
  "face-restore": 5,
  "remove-background": 3,
  "image-to-video": 150,
};
const typicalEditSeconds = 10;

type Call = { client: ReplicateClient; context: ToolContext; timing: PollTiming; baseUrl: string; token: string };

/** `pollTiming` is for tests, which poll fast; the default suits real predictions. */
export function createReplicateAdapter(options: { pollTiming?: PollTiming } = {}): ProviderAdapter {
  const timing = options.pollTiming ?? defaultPollTiming;
  return {
    id: "replicate",
    name: "Replicate",
    settings: [
      { name: "apiToken", env: "REPLICATE_API_TOKEN", kind: "secret", required: true },
      { name: "baseUrl", env: "REPLICATE_BASE_URL", kind: "url", required: false },
    ],
    models: replicateModels,
    create(config) {
      const call = (context: ToolContext): Call => ({
        client: replicateClient(config),
        context,
        timing,
        baseUrl: apiBaseOf(config.baseUrl),
        token: config.apiToken ?? "",
      });
      return {
        id: "replicate",
        capabilities: capabilityTable(call, {
          "text-to-image": textToImage,
          "edit-by-prompt": (call, image, options) => edit(call, image, options, "edit"),
          style: (call, image, options) => edit(call, image, options, "style"),
          "background-by-prompt": replaceBackground,
          ...fillCapabilities(fluxFill),
          upscale,
          "face-restore": restoreFaces,
          "remove-background": removeBackground,
          "image-to-video": imageToVideo,
        }),
      };
    },
    testConnection: (config, signal) => readAccount(replicateClient(config), signal),
  };
}

export const replicateAdapter = createReplicateAdapter();

/**
 * FLUX through the Vercel AI SDK. One prediction makes all images (num_outputs); the SDK's fetch is
 * ours, so a prediction that outlasts the short sync wait is polled with progress.
 */
async function textToImage(call: Call, options: TextToImageOptions): Promise<ToolOutput[]> {
  const settle = { timing: call.timing, expectedSeconds: typicalSeconds["text-to-image"]! };
  const replicate = createReplicate({
    apiToken: call.token,
    baseURL: call.baseUrl,
    fetch: aiSdkFetch(call.client, call.context, settle),
  });
  try {
    const result = await generateImage({
      model: replicate.image(modelFor(call.context, "text-to-image")),
      prompt: withAvoid(options.prompt, options.negativePrompt),
      n: options.count ?? 1,
      maxImagesPerCall: 4,
      aspectRatio: options.aspectRatio,
      seed: options.seed,
      // Replicate holds the request up to 5 s; anything slower is polled (progress, cancel on abort).
      providerOptions: { replicate: { maxWaitTimeInSeconds: 5, output_format: "png" } },
      maxRetries: 0,
      abortSignal: call.context.signal,
    });
    return await Promise.all(result.images.map((image) => imageOutput(Buffer.from(image.uint8Array))));
  } catch (error) {
    throw sdkError("Replicate", error, replicateBlocked);
  }
}

/** FLUX Kontext edits by instruction; one prediction per image asked for, side by side. */
async function edit(call: Call, input: Buffer, options: EditOptions, kind: "edit" | "style"): Promise<ToolOutput[]> {
  const image = await vendorImageUrl(input);
  const prompt = editInstruction(options, kind);
  const report = progressReporter(call.context, typicalEditSeconds);
  const predictions = await Promise.all(
    Array.from({ length: Math.max(1, options.count ?? 1) }, () => kontext(call, image.url, prompt, report)),
  );
  return Promise.all(predictions.map((prediction) => firstImage(call, prediction)));
}

async function replaceBackground(call: Call, input: Buffer, options: BackgroundByPromptOptions): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  // The catalog's prompt already says to keep the subject and replace only the background.
  const prompt = options.prompt;
  return firstImage(call, await kontext(call, image.url, prompt, progressReporter(call.context, typicalEditSeconds)));
}

function kontext(call: Call, imageUrl: string, prompt: string, report: (logs?: string) => Promise<void>) {
  const input = {
    prompt,
    input_image: imageUrl,
    aspect_ratio: "match_input_image",
    output_format: "png",
    safety_tolerance: 2,
  };
  return runPrediction(call.client, call.context, modelFor(call.context, "edit-by-prompt"), input, {
    timing: call.timing,
    expectedSeconds: typicalEditSeconds,
    report,
  });
}

/** FLUX Fill [pro], billed per output image (the offer's price). */
function fluxFill(call: Call): MaskFill {
  return async (image, mask, prompt) => {
    const input = { prompt, image, mask, output_format: "png", safety_tolerance: 2 };
    const options = { timing: call.timing, expectedSeconds: typicalEditSeconds };
    return fetchFirst(
      call,
      await runPrediction(call.client, call.context, modelFor(call.context, "inpaint"), input, options),
    );
  };
}

async function upscale(call: Call, input: Buffer, options: UpscaleOptions): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  const scale = options.scale === 4 ? 4 : 2;
  const prediction = await timeBilled(call, "upscale", { image: image.url, scale, face_enhance: false });
  return firstImage(call, prediction, { method: "ai", scale });
}

async function restoreFaces(call: Call, input: Buffer, options: FaceRestoreOptions): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  const fidelity = fidelityOf(options);
  // upscale 1 keeps the photo's size: this step restores, ai-upscale enlarges.
  const request = {
    image: image.url,
    codeformer_fidelity: fidelity,
    upscale: 1,
    face_upsample: true,
    background_enhance: true,
  };
  return firstImage(call, await timeBilled(call, "face-restore", request));
}

async function removeBackground(call: Call, input: Buffer): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  return firstImage(
    call,
    await timeBilled(call, "remove-background", { image: image.url, format: "png", background_type: "rgba" }),
  );
}

/** Models billed by GPU time: the cost is what Replicate measured (typical time when it says nothing). */
async function timeBilled(call: Call, capability: Capability, input: Record<string, unknown>): Promise<Prediction> {
  const expectedSeconds = typicalSeconds[capability]!;
  const prediction = await runPrediction(call.client, call.context, modelFor(call.context, capability), input, {
    timing: call.timing,
    expectedSeconds,
  });
  call.context.recordUsage({ units: prediction.metrics?.predict_time ?? expectedSeconds });
  return prediction;
}

/**
 * Kling animates the first frame, cropped to the aspect asked for. Minutes long: the prediction id
 * is saved as soon as it exists, so a retried job polls it instead of paying for a second video.
 */
function imageToVideo(call: Call, input: Buffer, options: ImageToVideoOptions): Promise<ToolOutput> {
  return klingImageToVideo(input, options, call.context, async (frameUrl, duration) => {
    const request = { prompt: options.prompt, start_image: frameUrl, duration, mode: "standard" };
    const settle = { timing: call.timing, expectedSeconds: typicalSeconds["image-to-video"]!, resumable: true };
    return outputUrls(
      await runPrediction(call.client, call.context, modelFor(call.context, "image-to-video"), request, settle),
    )[0]!;
  });
}

async function fetchFirst(call: Call, prediction: Prediction): Promise<Buffer> {
  return (await fetchOutput(outputUrls(prediction)[0]!, call.context)).data;
}

async function firstImage(call: Call, prediction: Prediction, meta?: Record<string, unknown>): Promise<ToolOutput> {
  return imageOutput(await fetchFirst(call, prediction), meta);
}

function modelFor(context: ToolContext, capability: Capability): string {
  return vendorModelFor("Replicate", replicateModels, context, capability);
}
