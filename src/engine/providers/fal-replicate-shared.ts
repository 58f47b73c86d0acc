import { APICallError, NoImageGeneratedError, RetryError } from "ai";
import { sharp } from "../sharp";
import type { ToolOutput } from "../tools/types";
import type { ImageToVideoOptions, InpaintOptions, OutpaintOptions } from "./capability-options";
import { isProviderError, ProviderError, providerErrorFromStatus, toProviderError } from "./errors";
import { prepareVendorImage } from "./image-request";
import { padForOutpaint, restoreOriginal } from "./outpaint-canvas";
import { decodeDataUrl, imageOutput, videoOutput } from "./output";
import type { Capability } from "./capabilities";
import type { FetchedFile, ModelOffer, ToolContext } from "./types";

/**
 * What the Replicate and fal adapters share: both run the same model families as long vendor tasks,
 * take files as data: URLs and answer with result URLs. The HTTP helpers at the end serve every
 * vendor API called without an SDK (the Sora and Veo video APIs too).
 */

/** The model the pipeline chose (the catalog's family), else the vendor's model for the capability. */
export function modelFor(vendor: string, offers: ModelOffer[], context: ToolContext, capability: Capability): string {
  const chosen = context.model?.capabilities.includes(capability) ? context.model.id : undefined;
  const model = chosen ?? offers.find((offer) => offer.capabilities.includes(capability))?.id;
  if (!model) throw new ProviderError("misconfigured", `${vendor} has no model for ${capability}`);
  return model;
}

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

/** Runs a FLUX Fill model on the image, its mask (white = repaint) and a prompt; answers the image. */
export type MaskFill = (imageUrl: string, maskUrl: string, prompt: string) => Promise<Buffer>;

/** inpaint and outpaint for a capability table, both through the vendor's FLUX Fill. */
export function fillCapabilities<Call extends { context: ToolContext }>(fill: (call: Call) => MaskFill) {
  return {
    inpaint: (call: Call, image: Buffer, options: InpaintOptions) =>
      inpaintByFill(image, options, call.context, fill(call)),
    outpaint: (call: Call, image: Buffer, options: OutpaintOptions) => outpaintByFill(image, options, fill(call)),
  };
}

/** FLUX Fill repaints the white part of the mask; the result comes back at the photo's own size. */
async function inpaintByFill(
  input: Buffer,
  options: InpaintOptions,
  context: ToolContext,
  fill: MaskFill,
): Promise<ToolOutput> {
  const image = await vendorImageUrl(input);
  const mask = await maskUrl(await context.loadAsset(options.maskAssetId), image.width, image.height);
  const prompt = options.prompt.trim() || "Fill the marked area so it blends seamlessly with its surroundings.";
  const filled = await fill(image.url, mask, prompt);
  const { width, height } = (await sharp(input).metadata()).autoOrient;
  return imageOutput(await sharp(filled).resize(width, height, { fit: "fill" }).png().toBuffer());
}

/** FLUX Fill paints the border of the padded canvas; the original goes back over its own area. */
async function outpaintByFill(input: Buffer, options: OutpaintOptions, fill: MaskFill): Promise<ToolOutput> {
  const canvas = await padForOutpaint(input, options.expand);
  const padded = await vendorImageUrl(canvas.image);
  const mask = await maskUrl(canvas.mask, padded.width, padded.height);
  const prompt =
    `Extend this picture into the marked border so the scene continues naturally. ${options.prompt}`.trim();
  return imageOutput(await restoreOriginal(await fill(padded.url, mask, prompt), canvas, input));
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
  const data = await sharp(image)
    .autoOrient()
    .resize({ ...size, fit: "cover", position: "attention" })
    .jpeg({ quality: 92 })
    .toBuffer();
  return { url: dataUrlOf(data, "image/jpeg"), ...size };
}

/**
 * Kling animates the first frame, cropped to the aspect asked for. `run` starts the vendor's task
 * (or polls the one a crashed attempt saved) and answers the video's URL.
 */
export async function klingImageToVideo(
  input: Buffer,
  options: ImageToVideoOptions,
  context: ToolContext,
  run: (frameUrl: string, durationSeconds: 5 | 10) => Promise<string>,
): Promise<ToolOutput> {
  const frame = await videoFirstFrame(input, options.aspectRatio);
  const duration = options.durationSeconds === 10 ? 10 : 5;
  const file = await fetchOutput(await run(frame.url, duration), context);
  return videoOutput(file.data, { width: frame.width, height: frame.height }, { durationSeconds: duration });
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
  if (NoImageGeneratedError.isInstance(error))
    return new ProviderError("malformed", `${vendor} answered without an image`, { cause: error });
  // Other SDK errors (a body that failed validation, ...) quote the vendor's JSON, field names
  // like has_nsfw_concepts included: they are not read for refusals.
  if (!APICallError.isInstance(error)) return toProviderError(error);
  const status = error.statusCode;
  // A 2xx whose body the SDK could not read: the answer is unusable, another provider may do better.
  if (status !== undefined && status < 300) {
    return new ProviderError("malformed", `${vendor}'s answer could not be read: ${error.message}`, {
      status,
      cause: error,
    });
  }
  if (blocked.test(`${error.message} ${error.responseBody ?? ""}`))
    return new ProviderError("blocked", error.message, { status, cause: error });
  if (status === undefined) return toProviderError(error);
  if (status === 402) return new ProviderError("misconfigured", error.message, { status, cause: error });
  const { failure, retryAfterSeconds } = providerErrorFromStatus(
    status,
    error.message,
    error.responseHeaders?.["retry-after"],
  );
  return new ProviderError(failure, error.message, { status, retryAfterSeconds, cause: error });
}

/** Network failures reaching the vendor's API are retriable; an abort stays an abort. */
export async function vendorFetch(
  vendor: string,
  url: string,
  init: RequestInit,
  signal?: AbortSignal,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ProviderError("retriable", `${vendor} could not be reached: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export function parseJson(vendor: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new ProviderError("malformed", `${vendor} answered something that is not JSON: ${body.slice(0, 80)}`);
  }
}

/** A JSON request to a vendor's API (no body: none sent) through vendorFetch. */
export function sendJson(
  vendor: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal?: AbortSignal,
) {
  const withType = body === undefined ? headers : { ...headers, "content-type": "application/json" };
  return vendorFetch(
    vendor,
    url,
    { method, headers: withType, body: body === undefined ? undefined : JSON.stringify(body) },
    signal,
  );
}

/** A vendor's JSON answer; an error status becomes the ProviderError `toError` reads from it. */
export async function jsonAnswer(
  vendor: string,
  response: Response,
  toError: (response: Response, body: string) => ProviderError,
): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw toError(response, text);
  return parseJson(vendor, text);
}
