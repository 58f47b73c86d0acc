import { APICallError, NoImageGeneratedError, RetryError } from "ai";
import { providerErrorFromStatus, ProviderError, toProviderError } from "./errors";

/**
 * OpenAI's failures as the pipeline's failure kinds, for the image calls (through the AI SDK) and
 * the video calls (plain HTTP). Errors are `{ error: { message, type, param, code } }`
 * (platform.openai.com/docs/guides/error-codes).
 */

/** Image and Sora moderation: code moderation_blocked, "rejected by the safety system", "blocked by our moderation system". */
const safetyRefusal = /moderation_blocked|content_policy_violation|safety system|moderation system/i;
/** Account problems: retrying cannot help, another provider can. */
const accountProblem = /insufficient_quota|billing_hard_limit_reached|invalid_api_key|model_not_found/;

export function openaiError(thrown: unknown): ProviderError {
  const error = RetryError.isInstance(thrown) && thrown.lastError ? thrown.lastError : thrown;
  if (NoImageGeneratedError.isInstance(error))
    return new ProviderError("malformed", "OpenAI answered without an image", { cause: error });
  if (!APICallError.isInstance(error)) return toProviderError(error);
  const status = error.statusCode;
  const text = `${error.message} ${error.responseBody ?? ""}`;
  // A 200 whose body the SDK could not read (no b64_json, not JSON): the answer is unusable.
  if (status !== undefined && status < 300)
    return new ProviderError("malformed", `OpenAI's answer could not be read: ${error.message}`, {
      status,
      cause: error,
    });
  if (status === 400 && safetyRefusal.test(text))
    return new ProviderError("blocked", error.message, { status, cause: error });
  if (accountProblem.test(text)) return new ProviderError("misconfigured", error.message, { status, cause: error });
  if (status === undefined) return toProviderError(error);
  const { failure, retryAfterSeconds } = providerErrorFromStatus(
    status,
    error.message,
    error.responseHeaders?.["retry-after"],
  );
  return new ProviderError(failure, error.message, { status, retryAfterSeconds, cause: error });
}

/** An error answer of OpenAI's HTTP API called directly (the Videos API has no AI SDK model). */
export function openaiHttpError(response: Response, body: string): ProviderError {
  let detail: { message?: string; code?: string | null; type?: string } = {};
  try {
    detail = (JSON.parse(body) as { error?: typeof detail }).error ?? {};
  } catch {
    // not JSON: the raw text is used
  }
  const message = `OpenAI answered ${response.status}: ${detail.message ?? (body.slice(0, 200) || response.statusText)}`;
  const text = `${detail.code ?? ""} ${detail.type ?? ""} ${detail.message ?? body}`;
  const status = response.status;
  if (status === 400 && safetyRefusal.test(text)) return new ProviderError("blocked", message, { status });
  if (accountProblem.test(text)) return new ProviderError("misconfigured", message, { status });
  return providerErrorFromStatus(status, message, response.headers.get("retry-after"));
}

/** A Sora video that ended `failed`: moderation is the user's error, anything else the vendor's. */
export function failedVideoError(
  id: string,
  error: { code?: string | null; message?: string | null } | null | undefined,
): ProviderError {
  const message = `OpenAI video ${id} failed${error?.message ? `: ${error.message}` : ""}${error?.code ? ` (${error.code})` : ""}`;
  if (safetyRefusal.test(`${error?.code ?? ""} ${error?.message ?? ""}`)) return new ProviderError("blocked", message);
  return new ProviderError("retriable", message);
}
