// Same-origin JSON client for /api/v1: the session cookie travels along, errors become ApiError
// with the server's message (already in the user's language).

import type { Job } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
    /** Sent with some codes (plan_limit_exceeded: which limit, max, requested). */
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; fields?: unknown; params?: unknown } };

/** Turns any error answer into an ApiError; fallbackMessage when the body says nothing useful. */
export function toApiError(status: number, body: unknown, fallbackMessage: string): ApiError {
  const error = (body as ErrorBody | null)?.error;
  const code = typeof error?.code === "string" ? error.code : "http_" + status;
  const message = typeof error?.message === "string" && error.message ? error.message : fallbackMessage;
  const fields = error?.fields && typeof error.fields === "object" ? (error.fields as Record<string, string[]>) : {};
  const params =
    error?.params && typeof error.params === "object" ? (error.params as Record<string, string | number>) : {};
  return new ApiError(status, code, message, fields, params);
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: "same-origin",
      ...rest,
      headers: {
        accept: "application/json",
        ...(json === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  } catch {
    throw new ApiError(0, "network_error", "");
  }
  const body = parseJson(await response.text());
  if (!response.ok) throw toApiError(response.status, body, "");
  return body as T;
}

/** A v4 UUID, also where crypto.randomUUID is missing (plain http on a LAN address). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * POST /api/v1/jobs: runs a generator. Pass the same key when retrying after a network error, so
 * the job starts (and is paid for) once.
 */
export async function startJob(
  generator: string,
  inputs: Record<string, unknown>,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<Job> {
  const { job } = await api<{ job: Job }>("/api/v1/jobs", {
    method: "POST",
    headers: { "Idempotency-Key": idempotencyKey },
    json: { generator, inputs },
  });
  return job;
}

/** POST /api/v1/jobs/:id/cancel: stops a queued or running job; its held credits are given back. */
export async function cancelJob(id: string): Promise<Job> {
  const { job } = await api<{ job: Job }>(`/api/v1/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
  return job;
}
