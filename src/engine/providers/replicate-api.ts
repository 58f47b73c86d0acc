import { isProviderError, ProviderError } from "./errors";
import { fetchOutput, fileResponse, httpError, jsonAnswer, parseJson, sendJson, urlOf } from "./fal-replicate-shared";
import { requireSetting } from "./provider-config";
import type { ProviderConfig, ToolContext } from "./types";
import { pollTask, type PollTiming } from "./vendor-task";

/**
 * Replicate's documented HTTP API (https://replicate.com/docs/reference/http): predictions are
 * created, then polled with GET /v1/predictions/{id} until succeeded, failed or canceled. Called
 * directly rather than through the `replicate` SDK, whose automatic retries (up to 5 on 429/5xx)
 * would hide failures from the pipeline, which retries and falls back itself.
 */

/**
 * Safety refusals: FLUX [schnell]/[dev] fail with "NSFW content detected", the BFL pro models with
 * "flagged as sensitive … (E005)". Narrow on purpose: a 422 about `safety_tolerance` is a bad input.
 */
export const replicateBlocked = /nsfw|flagged as sensitive|\(E005\)|content policy|moderation/i;
/** Failures worth one more try on the same model. */
const transientFailure = /out of memory|timed? ?out|interrupted|unavailable|try again|temporar|capacity|overloaded/i;

export type Prediction = {
  id: string;
  status: "starting" | "processing" | "succeeded" | "failed" | "canceled" | "aborted";
  output?: unknown;
  error?: unknown;
  logs?: string | null;
  metrics?: { predict_time?: number | null } | null;
};

export type ReplicateClient = { baseUrl: string; token: string };

export function replicateClient(config: ProviderConfig): ReplicateClient {
  const token = requireSetting(config, "apiToken", "REPLICATE_API_TOKEN");
  return { baseUrl: apiBaseOf(config.baseUrl), token };
}

/** REPLICATE_BASE_URL may name the host ("https://api.replicate.com") or the API itself ("…/v1"). */
export function apiBaseOf(baseUrl: string | undefined): string {
  if (!baseUrl) return "https://api.replicate.com/v1";
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ProviderError("misconfigured", `REPLICATE_BASE_URL is not a URL: ${baseUrl}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "") || "/v1"}`;
}

async function call(
  client: ReplicateClient,
  method: string,
  path: string,
  options: { body?: unknown; signal?: AbortSignal } = {},
): Promise<unknown> {
  const headers = { authorization: `Bearer ${client.token}` };
  const response = await sendJson(
    "Replicate",
    method,
    `${client.baseUrl}${path}`,
    headers,
    options.body,
    options.signal,
  );
  return jsonAnswer("Replicate", response, (answer, body) => httpError("Replicate", answer, body, replicateBlocked));
}

/** "owner/name" runs an official model by name; "owner/name:version" a pinned community model version. */
export async function createPrediction(
  client: ReplicateClient,
  model: string,
  input: Record<string, unknown>,
  signal: AbortSignal,
): Promise<Prediction> {
  const [name, version] = model.split(":");
  const path = version ? "/predictions" : `/models/${name}/predictions`;
  return asPrediction(await call(client, "POST", path, { body: version ? { version, input } : { input }, signal }));
}

export async function getPrediction(client: ReplicateClient, id: string, signal: AbortSignal): Promise<Prediction> {
  return asPrediction(await call(client, "GET", `/predictions/${encodeURIComponent(id)}`, { signal }));
}

export async function cancelPrediction(client: ReplicateClient, id: string): Promise<void> {
  await call(client, "POST", `/predictions/${encodeURIComponent(id)}/cancel`, { signal: AbortSignal.timeout(10_000) });
}

/** GET /v1/account: the cheapest authenticated call, for the admin's connection test. */
export async function readAccount(client: ReplicateClient, signal: AbortSignal): Promise<void> {
  await call(client, "GET", "/account", { signal });
}

export function asPrediction(value: unknown): Prediction {
  const prediction = value as Partial<Prediction> | null;
  if (!prediction || typeof prediction.id !== "string" || typeof prediction.status !== "string") {
    throw new ProviderError("malformed", "Replicate answered something that is not a prediction");
  }
  return prediction as Prediction;
}

const finished = new Set<Prediction["status"]>(["succeeded", "failed", "canceled", "aborted"]);

export type SettleOptions = {
  timing: PollTiming;
  /** What the model usually takes: the progress bar's pace when its logs show none. */
  expectedSeconds: number;
  /** Shared by predictions that run side by side for one step, so progress never goes back. */
  report?: (logs?: string) => Promise<void>;
};

/**
 * Polls a prediction until it ends, reporting progress. An abort (time limit, canceled job)
 * cancels it at Replicate: GPU time is billed until it stops.
 */
export async function settlePrediction(
  client: ReplicateClient,
  first: Prediction,
  context: ToolContext,
  options: SettleOptions,
): Promise<Prediction> {
  const prediction = await pollTask(context, first, {
    timing: options.timing,
    expectedSeconds: options.expectedSeconds,
    read: () => getPrediction(client, first.id, context.signal),
    done: (current) => finished.has(current.status),
    progress: (current) => current.logs ?? undefined,
    report: options.report,
    cancel: () => void cancelPrediction(client, first.id).catch(() => undefined),
  });
  if (prediction.status !== "succeeded") throw predictionFailure(prediction);
  return prediction;
}

export function predictionFailure(prediction: Prediction): ProviderError {
  const reason =
    typeof prediction.error === "string" ? prediction.error : prediction.error ? JSON.stringify(prediction.error) : "";
  const message = `Replicate prediction ${prediction.id} ${prediction.status}${reason ? `: ${reason}` : ""}`;
  if (replicateBlocked.test(reason)) return new ProviderError("blocked", message);
  if (prediction.status !== "failed" || transientFailure.test(reason)) return new ProviderError("retriable", message);
  // The model failed on this input: the same model again is unlikely to help, another provider may.
  return new ProviderError("malformed", message);
}

/**
 * Creates a prediction, or, for long tasks, first looks for the one a crashed attempt saved: a
 * retried job polls it instead of paying for a second one.
 */
export async function runPrediction(
  client: ReplicateClient,
  context: ToolContext,
  model: string,
  input: Record<string, unknown>,
  options: SettleOptions & { resumable?: boolean },
): Promise<Prediction> {
  let prediction = options.resumable ? await resumeSaved(client, context) : undefined;
  if (!prediction) {
    prediction = await createPrediction(client, model, input, context.signal);
    if (options.resumable) await context.task.save({ predictionId: prediction.id });
  }
  return settlePrediction(client, prediction, context, options);
}

/** The saved prediction when it can still deliver; a failed, canceled or vanished one is replaced. */
async function resumeSaved(client: ReplicateClient, context: ToolContext): Promise<Prediction | undefined> {
  const id = context.task.saved?.predictionId;
  if (typeof id !== "string") return undefined;
  let prediction: Prediction;
  try {
    prediction = await getPrediction(client, id, context.signal);
  } catch (error) {
    if (isProviderError(error) && error.status === 404) return undefined;
    throw error;
  }
  if (prediction.status === "succeeded") return prediction;
  if (!finished.has(prediction.status)) return prediction;
  const failure = predictionFailure(prediction);
  if (failure.failure === "blocked") throw failure;
  return undefined;
}

export function outputUrls(prediction: Prediction): string[] {
  const output = prediction.output;
  const urls =
    typeof output === "string"
      ? [output]
      : Array.isArray(output)
        ? output.filter((u): u is string => typeof u === "string")
        : [];
  if (urls.length === 0)
    throw new ProviderError("malformed", `Replicate prediction ${prediction.id} succeeded without an output`);
  return urls;
}

/**
 * The fetch the AI SDK's Replicate provider runs on. Its image model creates a prediction with
 * "Prefer: wait" and reads the output from that answer: a prediction still running when the wait
 * ends is polled here (progress, cancel on abort) and handed back finished. The output files the
 * SDK then downloads go through the pipeline's SSRF-safe fetch instead of its own.
 */
export function aiSdkFetch(client: ReplicateClient, context: ToolContext, options: SettleOptions): typeof fetch {
  return async (input, init) => {
    if ((init?.method ?? "GET").toUpperCase() === "GET") return fileResponse(await fetchOutput(urlOf(input), context));
    const response = await fetch(input, init);
    if (!response.ok) return response; // the SDK reads the status and the error body
    const created = asPrediction(parseJson("Replicate", await response.text()));
    const settled = await settlePrediction(client, created, context, options);
    return new Response(JSON.stringify(settled), { status: 201, headers: { "content-type": "application/json" } });
  };
}
