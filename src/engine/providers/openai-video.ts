import { readLimited } from "@/engine/providers/safe-fetch";
import type { ToolOutput } from "../tools/types";
import type { ImageToVideoOptions } from "./capability-options";
import { isProviderError, ProviderError } from "./errors";
import { jsonAnswer, vendorFetch } from "./fal-replicate-shared";
import { failedVideoError, openaiHttpError } from "./openai-errors";
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
 * Sora through OpenAI's Videos API (platform.openai.com/docs/api-reference/videos), called directly:
 * the AI SDK has no OpenAI video model, and the video id must be saved the moment it exists.
 * - POST /v1/videos, multipart: model, prompt, seconds ("4" | "8" | "12"), size, input_reference
 *   (an image exactly the size of the video);
 * - GET /v1/videos/{id}: { id, status: queued | in_progress | completed | failed, progress, seconds,
 *   size, error: { code, message } | null };
 * - GET /v1/videos/{id}/content: the MP4.
 * OpenAI has announced the end of the Sora API (September 2026): Google's Veo serves the same step.
 */

/** $0.10 per second of video for sora-2 at 720p (platform.openai.com/docs/pricing, Videos). */
export const soraOffer: ModelOffer = {
  id: "sora-2",
  family: "sora-2",
  capabilities: ["image-to-video"],
  costMicros: 100_000,
  unit: "second",
};

const formats: VideoFormat[] = [
  { aspectRatio: "16:9", width: 1280, height: 720 },
  { aspectRatio: "9:16", width: 720, height: 1280 },
];
const durations = [4, 8, 12] as const;
/** What a clip usually takes at OpenAI: the progress bar's pace between its own percentages. */
const expectedSeconds = 120;
/** A 12 s clip at 720p is tens of megabytes; anything far past that is not a clip of ours. */
const maxVideoBytes = 200 * 1024 * 1024;

type SoraVideo = {
  id: string;
  status: "queued" | "in_progress" | "completed" | "failed";
  progress?: number | null;
  seconds?: string | null;
  size?: string | null;
  error?: { code?: string | null; message?: string | null } | null;
};

type Api = { baseUrl: string; apiKey: string; signal: AbortSignal };

/**
 * Animates the photo into a clip. The video id is saved as soon as OpenAI answers, so a retried
 * attempt (after a crash or a timeout) polls the same video instead of paying for a second one.
 */
export async function soraImageToVideo(
  api: Api,
  context: ToolContext,
  input: Buffer,
  options: ImageToVideoOptions,
): Promise<ToolOutput> {
  const format = nearestFormat(options.aspectRatio, formats);
  const seconds = nearestDuration(options.durationSeconds ?? 5, durations);
  let video = await resumeSavedTask(
    context,
    "videoId",
    (id) => getVideo(api, id),
    (saved, id) => (saved.status === "failed" ? failedVideoError(id, saved.error) : undefined),
  );
  if (!video) {
    video = await createVideo(
      api,
      context.model?.id ?? soraOffer.id,
      options.prompt,
      seconds,
      format,
      await firstFrame(input, format),
    );
    await context.task.save({ videoId: video.id });
  }
  const id = video.id;
  video = await pollTask(context, video, {
    timing: videoPollTiming,
    expectedSeconds,
    read: () => getVideo(api, id),
    done: (v) => v.status === "completed" || v.status === "failed",
    progress: (v) => v.progress ?? undefined,
  });
  if (video.status === "failed") {
    // The next attempt must submit anew, not poll a video that will never come.
    await context.task.save({});
    throw failedVideoError(id, video.error);
  }
  const data = await downloadContent(api, id);
  const usedSeconds = Number(video.seconds) || seconds;
  const usedSize = video.size ?? `${format.width}x${format.height}`;
  context.recordUsage({ units: usedSeconds });
  const [width, height] = usedSize.split("x").map(Number) as [number, number];
  return videoOutput(data, mp4FrameSize(data) ?? { width, height }, {
    durationSeconds: usedSeconds,
    aspectRatio: width >= height ? "16:9" : "9:16",
    size: usedSize,
    requestedDurationSeconds: options.durationSeconds,
    requestedAspectRatio: options.aspectRatio,
  });
}

async function createVideo(
  api: Api,
  model: string,
  prompt: string,
  seconds: number,
  format: VideoFormat,
  frame: Buffer,
): Promise<SoraVideo> {
  const form = new FormData();
  form.set("model", model);
  form.set("prompt", prompt);
  form.set("seconds", String(seconds));
  form.set("size", `${format.width}x${format.height}`);
  form.set("input_reference", new Blob([new Uint8Array(frame)], { type: "image/jpeg" }), "first-frame.jpg");
  return asVideo(await call(api, "POST", "/videos", form));
}

function getVideo(api: Api, id: string): Promise<SoraVideo> {
  return call(api, "GET", `/videos/${encodeURIComponent(id)}`).then(asVideo);
}

async function downloadContent(api: Api, id: string): Promise<Buffer> {
  const response = await send(api, "GET", `/videos/${encodeURIComponent(id)}/content`);
  if (!response.ok) throw openaiHttpError(response, await response.text());
  try {
    return await readLimited(response, maxVideoBytes);
  } catch (error) {
    if (isProviderError(error) || api.signal.aborted) throw error;
    throw new ProviderError("retriable", `OpenAI's video download broke off: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function call(api: Api, method: string, path: string, body?: FormData): Promise<unknown> {
  return jsonAnswer("OpenAI", await send(api, method, path, body), openaiHttpError);
}

function send(api: Api, method: string, path: string, body?: FormData): Promise<Response> {
  const init = { method, headers: { authorization: `Bearer ${api.apiKey}` }, body };
  return vendorFetch("OpenAI", `${api.baseUrl}${path}`, init, api.signal);
}

function asVideo(value: unknown): SoraVideo {
  const video = value as Partial<SoraVideo> | null;
  if (!video || typeof video.id !== "string" || typeof video.status !== "string") {
    throw new ProviderError("malformed", "OpenAI answered something that is not a video job");
  }
  return video as SoraVideo;
}
