import { createHmac, randomUUID } from "node:crypto";
import { readLimited } from "@/engine/providers/safe-fetch";
import { sharp } from "../sharp";
import type { ToolOutput } from "../tools/types";
import { ProviderError, providerErrorFromStatus, toProviderError } from "./errors";
import { dataUrlOf } from "./fal-replicate-shared";
import { decodeDataUrl, imageOutput, videoOutput } from "./output";
import { requireSetting } from "./provider-config";
import { generativeCapabilities } from "./capabilities";
import type { CapabilityRunner, ProviderAdapter, ProviderConfig, ToolContext } from "./types";
import { sleep } from "./vendor-task";

/*
 * The generic webhook provider: hands a capability to an operator's workflow (n8n, Make, a small
 * server), so prompt engineering and vendor choice can live outside the code. The contract, also in
 * docs/webhook-provider.md:
 *
 * Request: POST WEBHOOK_PROVIDER_URL, JSON
 *   { capability, options, image: data URL | null, assets: { [assetId]: data URL }, model?, jobRef }
 *   `options` are the capability's options (capability-options.ts); `assets` hold the masks and
 *   reference images they name; `jobRef` stays the same when a crashed attempt resubmits.
 * Headers (when WEBHOOK_PROVIDER_SECRET is set):
 *   X-Pixelwerk-Timestamp: unix seconds
 *   X-Pixelwerk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the secret>
 * Answers:
 *   (a) the result itself: Content-Type image/* or video/*;
 *   (b) JSON { imageUrl } | { images: [URL or data URL, ...] } | { videoUrl }, optionally { costMicros };
 *   (c) JSON { taskId, pollUrl } (usually 202): GET pollUrl (same origin as the webhook, signed the
 *       same way over an empty body) until it answers (a) or (b), or { status: "failed", error,
 *       blocked?: true }; { status: "pending" | "processing" | ..., progress?: 0..1 } means wait.
 *   Result URLs are fetched SSRF-safe: the webhook's own origin is trusted, others must be public.
 *   5xx/429 → retried, 401/403/404 → the next provider, blocked → the user's error, costs nothing.
 */

export type WebhookTiming = { firstPollMs: number; maxPollMs: number };
const defaultTiming: WebhookTiming = { firstPollMs: 500, maxPollMs: 5000 };

const maxAnswerBytes = 100 * 1024 * 1024;
/** Polls that fail in a row (5xx, network) before the attempt gives up; its retry resumes the task. */
const maxPollFailures = 3;

/** The workflow itself said it failed: unlike a failed poll, polling again will not help. */
class WorkflowFailed extends ProviderError {}
const pendingStatuses = new Set(["pending", "queued", "processing", "running", "starting", "in_progress"]);

type TaskState = { jobRef: string; taskId?: string; pollUrl?: string };
type Answer =
  { outputs: ToolOutput[] } | { task: { taskId: string; pollUrl: string } } | { pending: number | undefined };

export function createWebhookAdapter(timing: WebhookTiming = defaultTiming): ProviderAdapter {
  return {
    id: "webhook",
    name: "Webhook (n8n, Make, ...)",
    settings: [
      { name: "url", env: "WEBHOOK_PROVIDER_URL", kind: "url", required: true },
      { name: "secret", env: "WEBHOOK_PROVIDER_SECRET", kind: "secret", required: false },
    ],
    models: [],
    capabilities: [...generativeCapabilities],
    create: (config) => ({
      id: "webhook",
      capabilities: Object.fromEntries(
        generativeCapabilities.map((capability) => [capability, webhookRunner(config, capability, timing)]),
      ),
    }),
    async testConnection(config, signal) {
      const response = await send(config, "POST", webhookUrl(config), JSON.stringify({ capability: "ping" }), signal);
      await response.body?.cancel();
      if (!response.ok)
        throw providerErrorFromStatus(response.status, `the webhook answered ${response.status} to a ping`);
    },
  };
}

export const webhookAdapter = createWebhookAdapter();

/** HMAC-SHA256 over "<timestamp>.<raw body>", hex, as the receiver recomputes it. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

function webhookRunner(config: ProviderConfig, capability: string, timing: WebhookTiming): CapabilityRunner {
  return async (input, options, context) => {
    const saved = context.task.saved as Partial<TaskState> | undefined;
    const jobRef = typeof saved?.jobRef === "string" ? saved.jobRef : randomUUID();
    let task =
      typeof saved?.taskId === "string" && typeof saved.pollUrl === "string"
        ? { taskId: saved.taskId, pollUrl: saved.pollUrl }
        : undefined;
    if (!task) {
      if (!saved?.jobRef) await context.task.save({ jobRef });
      const body = JSON.stringify({
        capability,
        options,
        image: input ? await sniffedDataUrl(input) : null,
        assets: await assetsOf(options, context),
        model: context.model?.family ?? context.model?.id ?? context.family,
        jobRef,
      });
      const answer = await interpret(
        await send(config, "POST", webhookUrl(config), body, context.signal),
        config,
        capability,
        input,
        context,
      );
      if (!("task" in answer)) {
        if ("outputs" in answer) return answer.outputs;
        throw new ProviderError("malformed", "the webhook answered a status without a task to poll");
      }
      task = answer.task;
      await context.task.save({ jobRef, ...task });
    }
    try {
      return await poll(config, capability, input, context, task, timing);
    } catch (error) {
      // The workflow said this task failed: a retry must start a new one, not poll the dead one.
      if (error instanceof WorkflowFailed) await context.task.save({});
      throw error;
    }
  };
}

async function poll(
  config: ProviderConfig,
  capability: string,
  input: Buffer | undefined,
  context: ToolContext,
  task: { taskId: string; pollUrl: string },
  timing: WebhookTiming,
): Promise<ToolOutput[]> {
  let delay = timing.firstPollMs;
  let failures = 0;
  for (let count = 1; ; count++) {
    await sleep(delay, context.signal);
    delay = Math.min(timing.maxPollMs, Math.round(delay * 1.5));
    let answer: Answer;
    try {
      answer = await interpret(
        await send(config, "GET", task.pollUrl, "", context.signal),
        config,
        capability,
        input,
        context,
      );
    } catch (error) {
      const transient =
        error instanceof ProviderError && error.failure === "retriable" && !(error instanceof WorkflowFailed);
      if (!transient || ++failures > maxPollFailures) throw error;
      continue;
    }
    failures = 0;
    if ("outputs" in answer) return answer.outputs;
    if ("task" in answer) task = answer.task;
    else await context.reportProgress(answer.pending ?? 0.9 * (1 - 0.85 ** count));
  }
}

async function send(
  config: ProviderConfig,
  method: "GET" | "POST",
  url: string,
  body: string,
  signal: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string> = { accept: "image/*, video/*, application/json" };
  if (method === "POST") headers["content-type"] = "application/json";
  if (config.secret) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    headers["x-pixelwerk-timestamp"] = timestamp;
    headers["x-pixelwerk-signature"] = webhookSignature(config.secret, timestamp, body);
  }
  try {
    return await fetch(url, {
      method,
      headers,
      body: method === "POST" ? body : undefined,
      signal,
      redirect: "manual",
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw toProviderError(error);
  }
}

/** Turns one answer of the webhook (to the POST or to a poll) into outputs, a task, or "not yet". */
async function interpret(
  response: Response,
  config: ProviderConfig,
  capability: string,
  input: Buffer | undefined,
  context: ToolContext,
): Promise<Answer> {
  const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new ProviderError("misconfigured", `the webhook redirects (${response.status}): configure its final URL`, {
      status: response.status,
    });
  }
  const data = await readAnswer(response, context.signal);
  const json = type.includes("json") ? parseJson(data) : undefined;
  if (json?.blocked === true) throw new ProviderError("blocked", messageOf(json) ?? "the webhook blocked the request");
  if (!response.ok) {
    const detail = messageOf(json) ?? data.toString("utf8", 0, 200);
    throw providerErrorFromStatus(
      response.status,
      `the webhook answered ${response.status}: ${detail}`.trim(),
      response.headers.get("retry-after"),
    );
  }
  if (type.startsWith("image/") || type.startsWith("video/"))
    return { outputs: [await mediaOutput({ data, mime: type }, capability, input)] };
  if (!json)
    throw new ProviderError(
      "malformed",
      `the webhook answered ${type || "no content type"}, not an image, a video or JSON`,
    );

  const status = typeof json.status === "string" ? json.status.toLowerCase() : undefined;
  if (status === "failed" || status === "error")
    throw new WorkflowFailed("retriable", `the webhook's workflow failed: ${messageOf(json) ?? "no reason given"}`);
  const urls = resultUrlsOf(json);
  if (urls.length > 0) {
    const outputs: ToolOutput[] = [];
    for (const url of urls) outputs.push(await mediaOutput(await fetchMedia(url, config, context), capability, input));
    if (typeof json.costMicros === "number" && json.costMicros >= 0)
      context.recordUsage({ costMicros: json.costMicros });
    return { outputs };
  }
  if (typeof json.taskId === "string" && typeof json.pollUrl === "string") {
    return { task: { taskId: json.taskId, pollUrl: pollUrlOf(json.pollUrl, config) } };
  }
  if (status && pendingStatuses.has(status)) {
    const progress = typeof json.progress === "number" ? Math.min(1, Math.max(0, json.progress)) : undefined;
    return { pending: progress };
  }
  throw new ProviderError("malformed", "the webhook's JSON has no imageUrl, images, videoUrl or taskId");
}

async function readAnswer(response: Response, signal: AbortSignal): Promise<Buffer> {
  try {
    return await readLimited(response, maxAnswerBytes);
  } catch (error) {
    if (error instanceof ProviderError || signal.aborted) throw error;
    throw toProviderError(error); // the connection broke mid-answer
  }
}

function resultUrlsOf(json: Record<string, unknown>): string[] {
  if (typeof json.imageUrl === "string") return [json.imageUrl];
  if (typeof json.videoUrl === "string") return [json.videoUrl];
  if (Array.isArray(json.images)) return json.images.filter((url): url is string => typeof url === "string");
  return [];
}

/** Data URLs are decoded here; anything else goes through the pipeline's SSRF-safe fetch only. */
async function fetchMedia(
  url: string,
  config: ProviderConfig,
  context: ToolContext,
): Promise<{ data: Buffer; mime: string }> {
  const inline = decodeDataUrl(url);
  if (inline) return inline;
  let absolute: string;
  try {
    absolute = new URL(url, webhookUrl(config)).toString();
  } catch {
    throw new ProviderError("malformed", "the webhook's result URL is not a URL");
  }
  return context.fetchResult(absolute);
}

/** Polls are signed, so they stay on the webhook's own origin; a relative pollUrl is resolved against it. */
function pollUrlOf(pollUrl: string, config: ProviderConfig): string {
  const base = new URL(webhookUrl(config));
  let url: URL;
  try {
    url = new URL(pollUrl, base);
  } catch {
    throw new ProviderError("malformed", "the webhook's pollUrl is not a URL");
  }
  if (url.origin !== base.origin)
    throw new ProviderError("malformed", `the webhook's pollUrl must be on ${base.origin}`);
  return url.toString();
}

async function mediaOutput(
  file: { data: Buffer; mime: string },
  capability: string,
  input: Buffer | undefined,
): Promise<ToolOutput> {
  if (!file.mime.startsWith("video/") && capability !== "image-to-video") return imageOutput(file.data);
  // A video keeps the frame of its source image; the output checks it really is MP4 or WebM.
  const size = input ? await sharp(input).metadata() : { width: 0, height: 0 };
  return videoOutput(file.data, { width: size.width ?? 0, height: size.height ?? 0 });
}

/** Masks and reference images the options name (maskAssetId, referenceAssetIds, ...), as data URLs. */
async function assetsOf(options: Record<string, unknown>, context: ToolContext): Promise<Record<string, string>> {
  const ids = Object.entries(options).flatMap(([key, value]) => {
    if (/AssetId$/.test(key) && typeof value === "string") return [value];
    if (/AssetIds$/.test(key) && Array.isArray(value))
      return value.filter((id): id is string => typeof id === "string");
    return [];
  });
  const assets: Record<string, string> = {};
  for (const id of new Set(ids)) assets[id] = await sniffedDataUrl(await context.loadAsset(id));
  return assets;
}

const mimeOfFormat: Record<string, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
  heif: "image/avif",
  gif: "image/gif",
};

async function sniffedDataUrl(image: Buffer): Promise<string> {
  const format = (await sharp(image).metadata()).format ?? "";
  return dataUrlOf(image, mimeOfFormat[format] ?? "application/octet-stream");
}

function webhookUrl(config: ProviderConfig): string {
  return requireSetting(config, "url", "WEBHOOK_PROVIDER_URL");
}

function parseJson(data: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function messageOf(json: Record<string, unknown> | undefined): string | undefined {
  const error = json?.error ?? json?.message;
  if (typeof error === "string") return error.slice(0, 300);
  if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message.slice(0, 300);
  }
  return undefined;
}
