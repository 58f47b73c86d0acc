import { APICallError, NoImageGeneratedError, RetryError } from "ai";
import { sharp } from "../sharp";
import type { ImageToVideoOptions } from "./capability-options";
import { isProviderError, ProviderError, providerErrorFromStatus, toProviderError } from "./errors";
import { decodeDataUrl } from "./output";
import type { FetchedFile, ToolContext } from "./types";
import { prepareVendorImage } from "./image-request";

/**
 * What the Replicate and fal adapters share: both run models as long vendor tasks that are polled,
 * take files as data: URLs and answer with result URLs.
 */

/** Both vendors accept data: URIs for file inputs, so nothing is uploaded to a third place first. */
export function dataUrlOf(data: Buffer, mime: string): string {
  return `data:${mime};base64,${data.toString("base64")}`;
}

/** The image as vendors take it (upright, at most 2048 px), as a data URL, with its size. */
export async function vendorImageUrl(image: Buffer): Promise<{ url: string; width: number; height: number }> {
  const prepared = await prepareVendorImage(image);
  return { url: dataUrlOf(prepared.data, prepared.mime), width: prepared.width, height: prepared.height };
}

/** A mask brought to the size the vendor sees the image at (masks must match it exactly). */
export async function maskUrl(mask: Buffer, width: number, height: number): Promise<string> {
  const data = await sharp(mask).resize(width, height, { fit: "fill" }).greyscale().threshold(128).png().toBuffer();
  return dataUrlOf(data, "image/png");
}

/** A result URL fetched only through the pipeline's SSRF-safe fetch; data: URLs are decoded here. */
export async function fetchOutput(url: string, context: ToolContext): Promise<FetchedFile> {
  return decodeDataUrl(url) ?? context.fetchResult(url);
}

/** Waits, or rejects as soon as the step is aborted (time limit or canceled job). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("aborted", "AbortError");
}

/** How often to ask about a task: quickly at first (most images take seconds), then less often. */
export type PollTiming = { firstMs: number; maxMs: number };
export const defaultPollTiming: PollTiming = { firstMs: 250, maxMs: 5000 };

export function nextDelay(delay: number, timing: PollTiming): number {
  return Math.min(timing.maxMs, Math.round(delay * 1.5));
}

/**
 * Progress of a vendor task: the last percentage in its logs when it prints one (tqdm bars,
 * "Progress: 40%"), else the time spent against what the model usually takes. Never goes back.
 */
export function progressReporter(context: ToolContext, expectedSeconds: number) {
  const started = Date.now();
  let reported = 0;
  return async (logs?: string) => {
    const byTime = Math.min(0.9, (Date.now() - started) / 1000 / expectedSeconds);
    const fraction = Math.min(0.95, Math.max(byTime, lastPercentIn(logs) ?? 0));
    if (fraction <= reported + 0.005) return;
    reported = fraction;
    await context.reportProgress(fraction);
  };
}

export function lastPercentIn(logs: string | undefined): number | undefined {
  const matches = [...(logs ?? "").matchAll(/(\d{1,3}(?:\.\d+)?)\s?%/g)];
  const last = matches.at(-1);
  if (!last) return undefined;
  const percent = Number(last[1]);
  return percent >= 0 && percent <= 100 ? percent / 100 : undefined;
}

/** Vendors bill per megapixel rounded up (fal: "1024×768 = 1 MP"). */
export function billedMegapixels(width: number, height: number): number {
  return Math.max(1, Math.ceil((width * height) / (1024 * 1024)));
}

/** The frame a clip starts from, cropped to the aspect asked for: the video keeps its first frame's shape. */
const videoSizes: Record<ImageToVideoOptions["aspectRatio"], { width: number; height: number }> = {
  "16:9": { width: 1280, height: 720 },
  "9:16": { width: 720, height: 1280 },
  "1:1": { width: 720, height: 720 },
};

export async function videoFirstFrame(image: Buffer, aspectRatio: ImageToVideoOptions["aspectRatio"]) {
  const size = videoSizes[aspectRatio] ?? videoSizes["16:9"];
  const data = await sharp(image).autoOrient().resize({ ...size, fit: "cover", position: "attention" }).jpeg({ quality: 92 }).toBuffer();
  return { url: dataUrlOf(data, "image/jpeg"), ...size };
}

/** A Response for the AI SDK carrying a file we fetched ourselves (it must not fetch vendor URLs itself). */
export function fileResponse(file: FetchedFile): Response {
  return new Response(new Uint8Array(file.data), { status: 200, headers: { "content-type": file.mime } });
}

export function urlOf(input: string | URL | Request): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}

/** An error answer of a vendor's HTTP API, by its status, with the vendor's own words. */
export function httpError(vendor: string, response: Response, body: string, blocked: RegExp): ProviderError {
  const message = `${vendor} answered ${response.status}: ${detailOf(body) ?? (body.slice(0, 200) || response.statusText)}`;
  if (blocked.test(body)) return new ProviderError("blocked", message, { status: response.status });
  // Out of credit at the vendor is the operator's problem: another provider can still serve the job.
  if (response.status === 402) return new ProviderError("misconfigured", message, { status: 402 });
  return providerErrorFromStatus(response.status, message, response.headers.get("retry-after"));
}

/** Replicate's { detail, title }, fal's { detail: "..." } or { detail: [{ msg }] }. */
function detailOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown; title?: unknown; error?: unknown; message?: unknown };
    const detail = parsed.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) return detail.map((d) => (d as { msg?: string }).msg ?? JSON.stringify(d)).join("; ");
    for (const field of [parsed.title, parsed.error, parsed.message]) if (typeof field === "string") return field;
  } catch {
    // not JSON: the raw text is used
  }
  return undefined;
}

/** What the Vercel AI SDK threw, as the pipeline's failure kinds. */
export function sdkError(vendor: string, thrown: unknown, blocked: RegExp): ProviderError {
  const error = RetryError.isInstance(thrown) && thrown.lastError ? thrown.lastError : thrown;
  if (isProviderError(error)) return error;
  if (NoImageGeneratedError.isInstance(error)) return new ProviderError("malformed", `${vendor} answered without an image`, { cause: error });
  // Other SDK errors (a body that failed validation, ...) quote the vendor's JSON, field names
  // like has_nsfw_concepts included: they are not read for refusals.
  if (!APICallError.isInstance(error)) return toProviderError(error);
  const status = error.statusCode;
  // A 2xx whose body the SDK could not read: the answer is unusable, another provider may do better.
  if (status !== undefined && status < 300) {
    return new ProviderError("malformed", `${vendor}'s answer could not be read: ${error.message}`, { status, cause: error });
  }
  if (blocked.test(`${error.message} ${error.responseBody ?? ""}`)) return new ProviderError("blocked", error.message, { status, cause: error });
  if (status === undefined) return toProviderError(error);
  if (status === 402) return new ProviderError("misconfigured", error.message, { status, cause: error });
  const { failure, retryAfterSeconds } = providerErrorFromStatus(status, error.message, error.responseHeaders?.["retry-after"]);
  return new ProviderError(failure, error.message, { status, retryAfterSeconds, cause: error });
}

/** Network failures reaching the vendor's API are retriable; an abort stays an abort. */
export async function vendorFetch(vendor: string, url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ProviderError("retriable", `${vendor} could not be reached: ${(error as Error).message}`, { cause: error });
  }
}

export function parseJson(vendor: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new ProviderError("malformed", `${vendor} answered something that is not JSON: ${body.slice(0, 80)}`);
  }
}
