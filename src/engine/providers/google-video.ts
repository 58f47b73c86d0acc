import type { ToolOutput } from "../tools/types";
import type { ImageToVideoOptions } from "./capability-options";
import { ProviderError } from "./errors";
import { jsonAnswer, sendJson } from "./fal-replicate-shared";
import { failedOperationError, googleHttpError } from "./google-errors";
import { videoOutput } from "./output";
import type { ModelOffer, ToolContext } from "./types";
import { pollTask } from "./vendor-task";
import {
  firstFrame,
  mp4FrameSize,
  nearestDuration,
  nearestFormat,
  resumeSavedTask,
  videoPollTiming,
  type VideoFormat,
} from "./vendor-video";

/**
 * Veo through the Gemini API (ai.google.dev/gemini-api/docs/video, REST), called directly rather
 * than through the AI SDK's video model so the operation name is saved the moment it exists:
 * - POST {base}/models/{model}:predictLongRunning with { instances: [{ prompt, image: {
 *   bytesBase64Encoded, mimeType } }], parameters: { aspectRatio, durationSeconds, resolution, ... } }
 *   answers an operation { name: "models/{model}/operations/{id}" };
 * - GET {base}/{name} until `done`, then `response.generateVideoResponse.generatedSamples[0].video.uri`
 *   (a Files API download on Google's host, fetched with the key), or `raiMediaFilteredCount` and
 *   `raiMediaFilteredReasons` when the safety filters kept the video back, or `error`.
 * The request and answer shapes match what @ai-sdk/google's GoogleGenerativeAIVideoModel sends and reads.
 */

/**
 * Veo 3.1 Lite, 720p with audio: $0.05 per second (ai.google.dev/gemini-api/docs/pricing). Lite
 * rather than Fast ($0.15) so a 4 s clip stays below the ad-video's price.
 */
export const veoOffer: ModelOffer = {
  id: "veo-3.1-lite-generate-preview",
  family: "veo-3.1-lite",
  capabilities: ["image-to-video"],
  costMicros: 50_000,
  unit: "second",
};

/** Veo 3.1 makes landscape and portrait only; 720p pins the price tier. */
const formats: VideoFormat[] = [
  { aspectRatio: "16:9", width: 1280, height: 720 },
  { aspectRatio: "9:16", width: 720, height: 1280 },
];
const durations = [4, 6, 8] as const;
const expectedSeconds = 90;
/** Google's own host: the only place besides the configured base URL that gets the API key. */
const googleApiOrigin = "https://generativelanguage.googleapis.com";

type Operation = {
  name?: string | null;
  done?: boolean | null;
  error?: { code?: number | null; message?: string | null } | null;
  response?: {
    generateVideoResponse?: {
      generatedSamples?: { video?: { uri?: string | null } | null }[] | null;
      raiMediaFilteredCount?: number | null;
      raiMediaFilteredReasons?: string[] | null;
    } | null;
  } | null;
};

type Api = { baseUrl: string; apiKey: string; signal: AbortSignal };

/**
 * Animates the photo into a clip. The operation name is saved as soon as Google answers, so a
 * retried attempt polls the same operation instead of paying for a second video.
 */
export async function veoImageToVideo(
  api: Api,
  context: ToolContext,
  input: Buffer,
  options: ImageToVideoOptions,
): Promise<ToolOutput> {
  const format = nearestFormat(options.aspectRatio, formats);
  const seconds = nearestDuration(options.durationSeconds ?? 5, durations);
  // What the operation was asked for: a resumed one keeps what the earlier attempt sent.
  let used = { seconds, format };
  let operation = await resumeSavedTask<Operation>(
    context,
    "operation",
    async (name) => ({ ...(await getOperation(api, name)), name }),
    (saved, name) => (saved.error ? failedOperationError(name, saved.error) : undefined),
  );
  if (operation) {
    const saved = context.task.saved!;
    used = {
      seconds: durations.find((d) => d === saved.durationSeconds) ?? seconds,
      format: formats.find((f) => f.aspectRatio === saved.aspectRatio) ?? format,
    };
  } else {
    const frame = await firstFrame(input, format);
    operation = await submit(api, context.model?.id ?? veoOffer.id, options.prompt, seconds, format, frame);
    await context.task.save({ operation: operation.name, durationSeconds: seconds, aspectRatio: format.aspectRatio });
  }
  const name = operation.name!;
  operation = await pollTask(context, operation, {
    timing: videoPollTiming,
    expectedSeconds,
    read: () => getOperation(api, name),
    done: (o) => Boolean(o.done),
  });
  const uri = await videoUriOf(context, name, operation);
  const file = await context.fetchResult(withKey(uri, api));
  context.recordUsage({ units: used.seconds });
  return videoOutput(file.data, mp4FrameSize(file.data) ?? used.format, {
    durationSeconds: used.seconds,
    aspectRatio: used.format.aspectRatio,
    size: `${used.format.width}x${used.format.height}`,
    requestedDurationSeconds: options.durationSeconds,
    requestedAspectRatio: options.aspectRatio,
  });
}

/** The finished operation's video, or why there is none. A failure clears the saved task so a retry submits anew. */
async function videoUriOf(context: ToolContext, name: string, operation: Operation): Promise<string> {
  if (operation.error) {
    await context.task.save({});
    throw failedOperationError(name, operation.error);
  }
  const answer = operation.response?.generateVideoResponse;
  const uri = answer?.generatedSamples?.find((sample) => sample.video?.uri)?.video?.uri;
  if (uri) return uri;
  await context.task.save({});
  if ((answer?.raiMediaFilteredCount ?? 0) > 0) {
    const reasons = (answer?.raiMediaFilteredReasons ?? []).join(" ").slice(0, 300);
    throw new ProviderError("blocked", `Veo's safety filters kept the video back${reasons ? `: ${reasons}` : ""}`);
  }
  throw new ProviderError("malformed", `Veo operation ${name} finished without a video`);
}

async function submit(
  api: Api,
  model: string,
  prompt: string,
  seconds: number,
  format: VideoFormat,
  frame: Buffer,
): Promise<Operation> {
  const body = {
    instances: [{ prompt, image: { bytesBase64Encoded: frame.toString("base64"), mimeType: "image/jpeg" } }],
    // Image-to-video takes "allow_adult" only (Veo 3.1's person generation settings).
    parameters: {
      aspectRatio: format.aspectRatio,
      durationSeconds: seconds,
      resolution: "720p",
      personGeneration: "allow_adult",
      sampleCount: 1,
    },
  };
  const operation = await call(api, "POST", `/models/${encodeURIComponent(model)}:predictLongRunning`, body);
  if (!operation.name) throw new ProviderError("malformed", "Google answered without an operation name");
  return operation;
}

function getOperation(api: Api, name: string): Promise<Operation> {
  // Operation names are paths ("models/…/operations/…"): each segment is kept as it is.
  return call(api, "GET", `/${name.split("/").map(encodeURIComponent).join("/")}`);
}

async function call(api: Api, method: string, path: string, body?: unknown): Promise<Operation> {
  const response = await sendJson(
    "Google",
    method,
    `${api.baseUrl}${path}`,
    { "x-goog-api-key": api.apiKey },
    body,
    api.signal,
  );
  const parsed = await jsonAnswer("Google", response, googleHttpError);
  if (!parsed || typeof parsed !== "object")
    throw new ProviderError("malformed", "Google answered something that is not an operation");
  return parsed as Operation;
}

/**
 * Files API downloads need the key. It goes only to Google's own host or the configured base URL,
 * never to a host a vendor answer names; the safe fetch follows the redirect to the stored file.
 */
function withKey(uri: string, api: Api): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ProviderError("malformed", "Veo's video URI is not a URL");
  }
  if (url.origin === googleApiOrigin || url.origin === new URL(api.baseUrl).origin)
    url.searchParams.set("key", api.apiKey);
  return url.toString();
}
