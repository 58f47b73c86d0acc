import { createReplicate } from "@ai-sdk/replicate";
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
  UpscaleOptions,
} from "./capability-options";
import { ProviderError } from "./errors";
import {
  defaultPollTiming,
  fetchOutput,
  maskUrl,
  progressReporter,
  sdkError,
  vendorImageUrl,
  videoFirstFrame,
  type PollTiming,
} from "./fal-replicate-shared";
import { requireImage, styleInstruction, withAvoid } from "./image-request";
import { padForOutpaint, restoreOriginal } from "./outpaint-canvas";
import { imageOutput, videoOutput } from "./output";
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
import type { Capability, ModelOffer, ProviderAdapter, ToolContext } from "./types";

/** GPU time at Replicate, https://replicate.com/pricing: Nvidia T4 $0.000225 per second. */
const t4PerSecond = 225;

/**
 * Models and published prices (micro-USD), from each model's page on replicate.com:
 * flux-schnell $0.003 and flux-dev $0.025 per output image; flux-kontext-pro $0.04 and
 * flux-fill-pro $0.05 per output image; kling-v2.1 (standard, 720p) $0.05 per second of video.
 * Community models run on a T4 and are billed by GPU time (metrics.predict_time).
 */
export const replicateModels: ModelOffer[] = [
  { id: "black-forest-labs/flux-schnell", family: "flux-schnell", capabilities: ["text-to-image"], costMicros: 3_000, unit: "image" },
  { id: "black-forest-labs/flux-dev", family: "flux-dev", capabilities: ["text-to-image"], costMicros: 25_000, unit: "image" },
  {
    id: "black-forest-labs/flux-kontext-pro",
    family: "flux-kontext-pro",
    capabilities: ["edit-by-prompt", "style", "background-by-prompt"],
    costMicros: 40_000,
    unit: "image",
  },
  { id: "black-forest-labs/flux-fill-pro", family: "flux-fill-pro", capabilities: ["inpaint", "outpaint"], costMicros: 50_000, unit: "image" },
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
  { id: "kwaivgi/kling-v2.1", family: "kling-v2.1", capabilities: ["image-to-video"], costMicros: 50_000, unit: "second" },
];

/** What each model usually takes, in seconds: the progress bar's pace, and the billed time when metrics are missing. */
const typicalSeconds: Record<string, number> = { "text-to-image": 4, upscale: 6, "face-restore": 5, "remove-background": 3, "image-to-video": 150 };
const typicalEditSeconds = 10;

type Call = { client: ReplicateClient; context: ToolContext; timing: PollTiming; baseUrl: string; token: string };

/** `pollTiming` is for tests, which poll fast; the default suits real predictions. */
export function createReplicateAdapter(options: { pollTiming?: PollTiming } = {}): ProviderAdapter {
  const timing = options.pollTiming ?? defaultPollTiming;
  return {
    id: "replicate",
    name: "Replicate",
    settings: [
      { name: "apiToken", env: "REPLICATE_API_TOKEN", secret: true, required: true },
      { name: "baseUrl", env: "REPLICATE_BASE_URL", secret: false, required: false },
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
        capabilities: {
          "text-to-image": (_input, options, context) => textToImage(call(context), options as TextToImageOptions),
          "edit-by-prompt": (input, options, context) => edit(call(context), requireImage(input), options as EditOptions, "edit"),
          style: (input, options, context) => edit(call(context), requireImage(input), options as EditOptions, "style"),
          "background-by-prompt": (input, options, context) =>
            replaceBackground(call(context), requireImage(input), options as BackgroundByPromptOptions),
          inpaint: (input, options, context) => inpaint(call(context), requireImage(input), options as InpaintOptions),
          outpaint: (input, options, context) => outpaint(call(context), requireImage(input), options as OutpaintOptions),
          upscale: (input, options, context) => upscale(call(context), requireImage(input), options as UpscaleOptions),
          "face-restore": (input, options, context) => restoreFaces(call(context), requireImage(input), options as FaceRestoreOptions),
          "remove-background": (input, _options, context) => removeBackground(call(context), requireImage(input)),
          "image-to-video": (input, options, context) => imageToVideo(call(context), requireImage(input), options as ImageToVideoOptions),
        },
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
  const replicate = createReplicate({ apiToken: call.token, baseURL: call.baseUrl, fetch: aiSdkFetch(call.client, call.context, settle) });
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
  const prompt = withAvoid(kind === "style" ? styleInstruction(options.prompt, options.strength) : options.prompt, options.negativePrompt);
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
  const input = { prompt, input_image: imageUrl, aspect_ratio: "match_input_image", output_format: "png", safety_tolerance: 2 };
  return runPrediction(call.client, call.context, modelFor(call.context, "edit-by-prompt"), input, {
    timing: call.timing,
    expectedSeconds: typicalEditSeconds,
    report,
  });
}

/** FLUX Fill repaints the white part of the mask; the result comes back at the photo's own size. */
async function inpaint(call: Call, input: Buffer, options: InpaintOptions): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  const mask = await maskUrl(await call.context.loadAsset(options.maskAssetId), image.width, image.height);
  const prompt = options.prompt.trim() || "Fill the marked area so it blends seamlessly with its surroundings.";
  const filled = await fetchFirst(call, await fill(call, image.url, mask, prompt));
  const { width, height } = (await sharp(input).metadata()).autoOrient;
  return imageOutput(await sharp(filled).resize(width, height, { fit: "fill" }).png().toBuffer());
}

async function outpaint(call: Call, input: Buffer, options: OutpaintOptions): Promise<ToolOutput> {
  const canvas = await padForOutpaint(input, options.expand);
  const padded = await vendorImageUrl(canvas.image);
  const mask = await maskUrl(canvas.mask, padded.width, padded.height);
  const prompt = `Extend this picture into the marked border so the scene continues naturally. ${options.prompt}`.trim();
  const filled = await fetchFirst(call, await fill(call, padded.url, mask, prompt));
  return imageOutput(await restoreOriginal(filled, canvas, input));
}

function fill(call: Call, image: string, mask: string, prompt: string) {
  const input = { prompt, image, mask, output_format: "png", safety_tolerance: 2 };
  return runPrediction(call.client, call.context, modelFor(call.context, "inpaint"), input, {
    timing: call.timing,
    expectedSeconds: typicalEditSeconds,
  });
}

async function upscale(call: Call, input: Buffer, options: UpscaleOptions): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  const scale = options.scale === 4 ? 4 : 2;
  const prediction = await timeBilled(call, "upscale", { image: image.url, scale, face_enhance: false });
  return firstImage(call, prediction, { method: "ai", scale });
}

async function restoreFaces(call: Call, input: Buffer, options: FaceRestoreOptions): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  const fidelity = Math.min(1, Math.max(0, options.fidelity ?? 0.7));
  // upscale 1 keeps the photo's size: this step restores, ai-upscale enlarges.
  const request = { image: image.url, codeformer_fidelity: fidelity, upscale: 1, face_upsample: true, background_enhance: true };
  return firstImage(call, await timeBilled(call, "face-restore", request));
}

async function removeBackground(call: Call, input: Buffer): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  return firstImage(call, await timeBilled(call, "remove-background", { image: image.url, format: "png", background_type: "rgba" }));
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
async function imageToVideo(call: Call, input: Buffer, options: ImageToVideoOptions): Promise<ToolOutput> {
  const frame = await videoFirstFrame(input, options.aspectRatio);
  const duration = options.durationSeconds === 10 ? 10 : 5;
  const prediction = await runPrediction(
    call.client,
    call.context,
    modelFor(call.context, "image-to-video"),
    { prompt: options.prompt, start_image: frame.url, duration, mode: "standard" },
    { timing: call.timing, expectedSeconds: typicalSeconds["image-to-video"]!, resumable: true },
  );
  const file = await fetchOutput(outputUrls(prediction)[0]!, call.context);
  return videoOutput(file.data, { width: frame.width, height: frame.height }, { durationSeconds: duration });
}

async function fetchFirst(call: Call, prediction: Prediction): Promise<Buffer> {
  return (await fetchOutput(outputUrls(prediction)[0]!, call.context)).data;
}

async function firstImage(call: Call, prediction: Prediction, meta?: Record<string, unknown>): Promise<ToolOutput> {
  return imageOutput(await fetchFirst(call, prediction), meta);
}

/** The model the pipeline chose (the catalog's family), else this adapter's model for the capability. */
function modelFor(context: ToolContext, capability: Capability): string {
  const chosen = context.model?.capabilities.includes(capability) ? context.model.id : undefined;
  const model = chosen ?? replicateModels.find((offer) => offer.capabilities.includes(capability))?.id;
  if (!model) throw new ProviderError("misconfigured", `Replicate has no model for ${capability}`);
  return model;
}
