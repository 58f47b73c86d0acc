import { isProviderError, ProviderError } from "./errors";
import { fetchOutput, fileResponse, httpError, jsonAnswer, sendJson, urlOf } from "./fal-replicate-shared";
import { requireSetting } from "./provider-config";
import type { ProviderConfig, ToolContext } from "./types";
import { pollTask, type PollTiming } from "./vendor-task";

/**
 * fal's queue API (https://docs.fal.ai/model-endpoints/queue): POST https://queue.fal.run/{model}
 * answers a request_id; GET …/{owner}/{alias}/requests/{id}/status moves through IN_QUEUE,
 * IN_PROGRESS and COMPLETED; GET …/requests/{id} gives the result; PUT …/cancel cancels. Called
 * directly rather than through @fal-ai/client, whose queue calls retry on their own (3 to 5 times,
 * up to a minute apart, not configurable per call) and would hide failures from the pipeline.
 *
 * FAL_BASE_URL sends every request through a proxy in fal's own proxy protocol (what
 * @fal-ai/client's `proxyUrl` and @fal-ai/server-proxy speak): the fal URL travels in the
 * `x-fal-target-url` header. fal has no self-hosted server, so a gateway is the one thing a
 * different address can be.
 */

/**
 * fal's safety refusals in an error answer: the documented error type content_policy_violation.
 * Narrow on purpose: a 422 about `enable_safety_checker` is a bad input. (Results flag NSFW images
 * in has_nsfw_concepts, read where results are.)
 */
export const falBlocked = /content_policy_violation|content policy|flagged by a content checker/i;
const queueHost = "https://queue.fal.run";

export type FalClient = { key: string; proxyUrl?: string };
export type FalStatus = {
  status: string;
  logs?: { message?: string }[] | null;
  metrics?: { inference_time?: number | null } | null;
};
export type FalResult = { output: Record<string, unknown>; inferenceSeconds?: number };

export function falClient(config: ProviderConfig): FalClient {
  const key = requireSetting(config, "apiKey", "FAL_KEY");
  if (config.baseUrl && !URL.canParse(config.baseUrl))
    throw new ProviderError("misconfigured", `FAL_BASE_URL is not a URL: ${config.baseUrl}`);
  return { key, proxyUrl: config.baseUrl || undefined };
}

async function callJson(
  client: FalClient,
  method: string,
  url: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Key ${client.key}`, accept: "application/json" };
  if (client.proxyUrl) headers["x-fal-target-url"] = url;
  return jsonAnswer("fal", await sendJson("fal", method, client.proxyUrl ?? url, headers, body, signal), falHttpError);
}

/** X-Fal-Retryable says whether the very same request may succeed (https://docs.fal.ai/errors). */
function falHttpError(response: Response, body: string): ProviderError {
  const error = httpError("fal", response, body, falBlocked);
  if (error.failure !== "blocked" && response.headers.get("x-fal-retryable") === "true") {
    return new ProviderError("retriable", error.message, {
      status: error.status,
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
  return error;
}

/** Status and result live under the model's owner/alias, without its subpath ("fal-ai/flux/dev" → "fal-ai/flux"). */
function requestUrl(model: string, requestId: string, suffix = ""): string {
  return `${queueHost}/${model.split("/").slice(0, 2).join("/")}/requests/${encodeURIComponent(requestId)}${suffix}`;
}

export async function submitRequest(
  client: FalClient,
  model: string,
  input: Record<string, unknown>,
  signal: AbortSignal,
): Promise<string> {
  const answer = (await callJson(client, "POST", `${queueHost}/${model}`, input, signal)) as {
    request_id?: unknown;
  } | null;
  if (typeof answer?.request_id !== "string")
    throw new ProviderError("malformed", "fal's queue answered without a request_id");
  return answer.request_id;
}

export async function requestStatus(
  client: FalClient,
  model: string,
  requestId: string,
  signal: AbortSignal,
): Promise<FalStatus> {
  const status = (await callJson(
    client,
    "GET",
    requestUrl(model, requestId, "/status?logs=1"),
    undefined,
    signal,
  )) as FalStatus | null;
  if (typeof status?.status !== "string")
    throw new ProviderError("malformed", "fal's queue answered a status without a status");
  return status;
}

async function requestResult(
  client: FalClient,
  model: string,
  requestId: string,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const result = await callJson(client, "GET", requestUrl(model, requestId), undefined, signal);
  if (!result || typeof result !== "object")
    throw new ProviderError("malformed", "fal answered a result that is not an object");
  return result as Record<string, unknown>;
}

async function cancelRequest(client: FalClient, model: string, requestId: string): Promise<void> {
  await callJson(client, "PUT", requestUrl(model, requestId, "/cancel"), undefined, AbortSignal.timeout(10_000));
}

/** The platform API's price lookup: needs a valid key and costs nothing, for the admin's connection test. */
export async function readPricing(client: FalClient, signal: AbortSignal): Promise<void> {
  await callJson(
    client,
    "GET",
    "https://api.fal.ai/v1/models/pricing?endpoint_id=fal-ai/flux/schnell",
    undefined,
    signal,
  );
}

export type QueueOptions = {
  timing: PollTiming;
  expectedSeconds: number;
  /** Long tasks save their request id, so a retried job polls it instead of paying twice. */
  resumable?: boolean;
};

/** Runs a model on fal's queue and returns its result; an abort cancels the request at fal. */
export async function runQueued(
  client: FalClient,
  context: ToolContext,
  model: string,
  input: Record<string, unknown>,
  options: QueueOptions,
): Promise<FalResult> {
  const saved = options.resumable ? context.task.saved?.requestId : undefined;
  if (typeof saved === "string") {
    try {
      return await finish(client, context, model, saved, options);
    } catch (error) {
      // A request that vanished or failed is replaced; a refusal stays final.
      const final = !isProviderError(error) || error.failure === "blocked" || error.failure === "rejected";
      if (final || context.signal.aborted) throw error;
    }
  }
  const requestId = await submitRequest(client, model, input, context.signal);
  if (options.resumable) await context.task.save({ requestId });
  return finish(client, context, model, requestId, options);
}

async function finish(
  client: FalClient,
  context: ToolContext,
  model: string,
  requestId: string,
  options: QueueOptions,
): Promise<FalResult> {
  const status = await pollTask<FalStatus>(context, undefined, {
    timing: options.timing,
    expectedSeconds: options.expectedSeconds,
    read: () => requestStatus(client, model, requestId, context.signal),
    done: (current) => {
      if (current.status === "COMPLETED") return true;
      if (current.status === "IN_QUEUE" || current.status === "IN_PROGRESS") return false;
      throw new ProviderError("malformed", `fal's queue answered an unknown status: ${current.status}`);
    },
    progress: (current) => current.logs?.map((log) => log.message ?? "").join("\n"),
    cancel: () => void cancelRequest(client, model, requestId).catch(() => undefined),
  });
  const output = await requestResult(client, model, requestId, context.signal);
  if (Array.isArray(output.has_nsfw_concepts) && output.has_nsfw_concepts.includes(true)) {
    throw new ProviderError("blocked", "fal's safety checker flagged the result (has_nsfw_concepts)");
  }
  return { output, inferenceSeconds: status.metrics?.inference_time ?? undefined };
}

/** The files of a fal result: `images: [{ url }]`, `image: { url }` or `video: { url }`. */
export function resultFiles(
  output: Record<string, unknown>,
  field: "images" | "image" | "video",
): { url: string; width?: number; height?: number }[] {
  const value = output[field];
  const list = (Array.isArray(value) ? value : value ? [value] : []) as {
    url?: unknown;
    width?: number;
    height?: number;
  }[];
  const files = list.filter(
    (file): file is { url: string; width?: number; height?: number } => typeof file?.url === "string",
  );
  if (files.length === 0) throw new ProviderError("malformed", `fal's result has no ${field}`);
  return files;
}

/**
 * The fetch the AI SDK's fal provider runs on: its POSTs to fal.run go through the configured proxy
 * like ours, and the images it then downloads go through the pipeline's SSRF-safe fetch.
 */
export function falAiSdkFetch(client: FalClient, context: ToolContext): typeof fetch {
  return async (input, init) => {
    const url = urlOf(input);
    if ((init?.method ?? "GET").toUpperCase() === "GET") return fileResponse(await fetchOutput(url, context));
    if (!client.proxyUrl) return fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set("x-fal-target-url", url);
    return fetch(client.proxyUrl, { ...init, headers });
  };
}
