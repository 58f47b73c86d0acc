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
