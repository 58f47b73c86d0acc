import "server-only";
import { createHash } from "node:crypto";
import type { ImageFormat } from "./transformation-types";

/** Bump when the executor's output changes for the same parameters: old cache entries stop matching. */
export const engineVersion = "2";

const extOf: Record<ImageFormat, string> = { jpg: "jpg", png: "png", webp: "webp", avif: "avif" };

/**
 * Where a derived image lives in storage: `derived/<asset>/<hash>.<ext>`. The hash covers the
 * asset, the canonical transformation, the encoding and the purpose ("final" for what /i/ serves,
 * "input" for a chain's intermediate image handed to an AI job). Assets never change, so the hash
 * also serves as the ETag.
 */
export function derivedKey(input: {
  assetId: string;
  canonical: string;
  format: ImageFormat;
  purpose: "final" | "input";
}): { hash: string; key: string } {
  const hash = createHash("sha256")
    .update(JSON.stringify([engineVersion, input.purpose, input.assetId, input.canonical, input.format]))
    .digest("hex")
    .slice(0, 32);
  return { hash, key: `derived/${input.assetId}/${hash}.${extOf[input.format]}` };
}

/** The idempotency hash of an AI step: asset plus the chain up to and including that step. */
export function stepHash(assetId: string, canonicalPrefix: string): string {
  return createHash("sha256")
    .update(JSON.stringify([assetId, canonicalPrefix]))
    .digest("hex")
    .slice(0, 40);
}

const inflight = new Map<string, Promise<unknown>>();

/**
 * Concurrent requests for the same derived image share one computation in this process, so a
 * page full of identical <img> tags does not render it once per tag.
 */
export function singleFlight<T>(key: string, task: () => Promise<T>): Promise<T> {
  const running = inflight.get(key) as Promise<T> | undefined;
  if (running) return running;
  const promise = task().finally(() => inflight.delete(key));
  inflight.set(key, promise);
  return promise;
}
