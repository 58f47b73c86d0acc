"use client";

import { createAuthClient } from "better-auth/react";

type AuthClient = ReturnType<typeof createAuthClient>;
let client: AuthClient | undefined;

/** Created on first use in the browser, so server rendering never needs a base URL. */
export function authClient(): AuthClient {
  client ??= createAuthClient({ baseURL: window.location.origin });
  return client;
}

type AuthErrorLike = { status?: number; message?: string; code?: string; error?: { message?: string; code?: string } };

/** better-auth errors carry the body fields; our own API error shape nests them under `error`. */
export function readAuthError(error: unknown): { status: number; code: string; message: string } {
  const e = (error ?? {}) as AuthErrorLike;
  return {
    status: e.status ?? 0,
    code: e.error?.code ?? e.code ?? "",
    message: e.error?.message ?? e.message ?? "",
  };
}

/** Refusals the server explains in the user's language: show its message, not a generic one. */
const explained = new Set(["rate_limited", "origin_not_allowed", "name_too_long"]);

/** The server's own message for a refusal the user can act on (wait, open APP_URL, ...), or null. */
export function explainedMessage(error: { status: number; code: string; message: string } | null): string | null {
  if (!error?.message) return null;
  return error.status === 429 || explained.has(error.code) ? error.message : null;
}
