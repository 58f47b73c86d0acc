import { APICallError, RetryError } from "ai";
import { providerErrorFromStatus, ProviderError, toProviderError } from "./errors";

/**
 * Google's failures as the pipeline's failure kinds, for Gemini (through the AI SDK) and Veo (plain
 * HTTP). Errors are `{ error: { code, message, status, details } }` (ai.google.dev/gemini-api/docs/troubleshooting).
 */

export const invalidKey = /API_KEY_INVALID|API key not valid|API key expired/;
/** A key without billing, a region Google does not serve: another provider can do it. */
const accountProblem = /API_KEY_INVALID|API key not valid|API key expired|location is not supported|billing/i;
/** Veo's refusals: its safety filters, person-generation settings and usage guidelines. */
const videoRefusal =
  /usage guidelines|safety (?:filter|setting|polic)|responsible ai|\bRAI\b|prohibited content|person generation/i;

export function googleError(thrown: unknown): ProviderError {
  const error = RetryError.isInstance(thrown) && thrown.lastError ? thrown.lastError : thrown;
  if (!APICallError.isInstance(error)) return toProviderError(error);
  const status = error.statusCode;
  if (status !== undefined && status < 300)
    return new ProviderError("malformed", `Gemini's answer could not be read: ${error.message}`, {
      status,
      cause: error,
    });
  // Google answers a bad key with 400 INVALID_ARGUMENT, which would otherwise read as a bad request.
  if (accountProblem.test(`${error.message} ${error.responseBody ?? ""}`)) {
    return new ProviderError("misconfigured", error.message, { status, cause: error });
  }
  if (status === undefined) return toProviderError(error);
  const { failure, retryAfterSeconds } = providerErrorFromStatus(
    status,
    error.message,
    error.responseHeaders?.["retry-after"],
  );
  return new ProviderError(failure, error.message, { status, retryAfterSeconds, cause: error });
}

/** An error answer of the Gemini API called directly (Veo's long-running operations). */
export function googleHttpError(response: Response, body: string): ProviderError {
  let detail: { message?: string; status?: string } = {};
  try {
    detail = (JSON.parse(body) as { error?: typeof detail }).error ?? {};
  } catch {
    // not JSON: the raw text is used
  }
  const status = response.status;
  const message = `Google answered ${status}: ${detail.message ?? (body.slice(0, 200) || response.statusText)}`;
  if (accountProblem.test(body)) return new ProviderError("misconfigured", message, { status });
  if (status === 400 && videoRefusal.test(detail.message ?? ""))
    return new ProviderError("blocked", message, { status });
  return providerErrorFromStatus(status, message, response.headers.get("retry-after"));
}

/** google.rpc codes worth another try: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE. */
const transientCodes = new Set([4, 8, 10, 13, 14]);

/** A Veo operation that ended with an error: a refusal is the user's, anything else the vendor's. */
export function failedOperationError(
  name: string,
  error: { code?: number | null; message?: string | null },
): ProviderError {
  const message = `Veo operation ${name} failed: ${error.message ?? "no reason given"}${error.code ? ` (code ${error.code})` : ""}`;
  if (videoRefusal.test(error.message ?? "")) return new ProviderError("blocked", message);
  if (error.code === undefined || error.code === null || transientCodes.has(error.code))
    return new ProviderError("retriable", message);
  // The model refused our request as made: another provider may serve it.
  return new ProviderError("malformed", message);
}
