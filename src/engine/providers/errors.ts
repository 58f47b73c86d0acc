/**
 * How a provider call failed decides what the pipeline does next:
 * - retriable: timeout, network, 5xx, 429: retry with backoff, then the next provider;
 * - misconfigured: bad key, unknown model, 401/403/404: the next provider at once;
 * - malformed: the vendor answered something we cannot use: the next provider;
 * - blocked: a safety or moderation refusal: the user's error, final, costs nothing;
 * - rejected: the vendor refused the input (a bad prompt, an image it cannot read): final.
 */
export type ProviderFailure = "retriable" | "misconfigured" | "malformed" | "blocked" | "rejected";

export class ProviderError extends Error {
  readonly failure: ProviderFailure;
  readonly status?: number;
  readonly retryAfterSeconds?: number;

  constructor(
    failure: ProviderFailure,
    message: string,
    options: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "ProviderError";
    this.failure = failure;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/** The usual meaning of an HTTP status from a vendor API. */
export function failureOfStatus(status: number): ProviderFailure {
  if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500) return "retriable";
  if (status === 401 || status === 403 || status === 404) return "misconfigured";
  return "rejected";
}

export function providerErrorFromStatus(status: number, message: string, retryAfter?: string | null): ProviderError {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  return new ProviderError(failureOfStatus(status), message, {
    status,
    retryAfterSeconds: Number.isFinite(seconds) ? seconds : undefined,
  });
}

/**
 * Turns whatever a vendor SDK threw into a ProviderError. Errors of the Vercel AI SDK carry
 * `statusCode`; the Replicate and fal SDKs carry `status` or `response.status`; network failures
 * and aborts are retriable.
 */
export function toProviderError(error: unknown, blocked?: (message: string) => boolean): ProviderError {
  if (isProviderError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const record = (error ?? {}) as Record<string, unknown>;
  const response = record.response as { status?: unknown } | undefined;
  const status = [record.statusCode, record.status, response?.status].find((s): s is number => typeof s === "number");
  const body = typeof record.responseBody === "string" ? record.responseBody : "";
  if (blocked?.(`${message} ${body}`)) return new ProviderError("blocked", message, { status, cause: error });
  if (status !== undefined) return new ProviderError(failureOfStatus(status), message, { status, cause: error });
  return new ProviderError("retriable", message, { cause: error });
}
