/** Typed, expected errors. Mapped to HTTP status in one place (statusOf) and translated by code. */
import "server-only";
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  name_too_long: 400,
  unsupported_file_type: 415,
  // A body in a content type the route does not take (e.g. text/plain on a JSON route).
  unsupported_media_type: 415,
  corrupt_image: 422,
  image_too_large: 413,
  file_too_large: 413,
  body_too_large: 413,
  length_required: 411,
  origin_not_allowed: 403,
  unauthorized: 401,
  forbidden: 403,
  insufficient_credits: 402,
  not_found: 404,
  unknown_generator: 400,
  idempotency_key_conflict: 409,
  conflict: 409,
  rate_limited: 429,
  service_unavailable: 503,
  render_timeout: 503,
  tool_timeout: 504,
  // AI providers: a refusal is the user's error and costs nothing; a missing key is the operator's.
  content_blocked: 422,
  prompt_blocked: 400,
  provider_rejected: 422,
  provider_not_configured: 503,
  provider_unavailable: 502,
  job_not_cancelable: 409,
  // Billing: payments off or not set up, Stripe unreachable, a bad webhook, debt and plan limits.
  payments_disabled: 503,
  billing_not_synced: 503,
  payments_unavailable: 502,
  invalid_signature: 400,
  subscription_exists: 409,
  account_in_debt: 402,
  plan_limit_exceeded: 403,
  internal_error: 500,
  // URL transformations (/i/...): a bad parameter, a step this server cannot run, a step that failed.
  invalid_transformation: 400,
  transformation_unavailable: 501,
  transformation_failed: 422,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  readonly fields?: FieldErrors;
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    options: {
      message?: string;
      params?: Record<string, string | number>;
      fields?: FieldErrors;
      retryAfterSeconds?: number;
      cause?: unknown;
    } = {},
  ) {
    super(options.message ?? code, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.params = options.params ?? {};
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function notFound(): AppError {
  return new AppError("not_found");
}
