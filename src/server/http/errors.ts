import "server-only";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, isAppError } from "../errors";
import { translate, type Locale } from "../i18n";

export type ErrorBody = {
  error: { code: string; message: string; fields?: Record<string, string[]>; params?: Record<string, string | number> };
};

/** Codes whose params a client acts on (which plan limit was hit, and its numbers): sent along. */
const paramsInBody = new Set<string>(["plan_limit_exceeded"]);

/** The one mapping from errors to HTTP answers. Unexpected errors are logged, never shown. */
export function errorResponse(
  c: Context,
  error: unknown,
  options: { locale: Locale; requestId: string; log: (msg: string, extra: object) => void },
): Response {
  const appError = toAppError(error);
  if (!appError) {
    options.log("unexpected error", { requestId: options.requestId, err: error });
    const body: ErrorBody = {
      error: {
        code: "internal_error",
        message: translate(options.locale, "errors.internal_error", { requestId: options.requestId }),
      },
    };
    return c.json(body, 500);
  }
  const body: ErrorBody = {
    error: {
      code: appError.code,
      message: translate(options.locale, `errors.${appError.code}`, appError.params),
      ...(appError.fields ? { fields: appError.fields } : {}),
      ...(paramsInBody.has(appError.code) ? { params: appError.params } : {}),
    },
  };
  if (appError.retryAfterSeconds) c.header("Retry-After", String(appError.retryAfterSeconds));
  return c.json(body, appError.status as 400);
}

function toAppError(error: unknown): AppError | undefined {
  if (isAppError(error)) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new AppError("file_too_large", { params: { maxMegabytes: "?" } });
    if (error.status === 401) return new AppError("unauthorized");
    if (error.status === 403) return new AppError("forbidden");
    if (error.status === 404) return new AppError("not_found");
    // zod-openapi's content-type gate: a body the route does not take is the client's error.
    if (error.status === 415) return new AppError("unsupported_media_type");
    // Any other client error from Hono or a middleware (malformed JSON or form data, ...).
    if (error.status >= 400 && error.status < 500) return new AppError("bad_request");
  }
  return undefined;
}
