import "server-only";
import { signatureFor, verifySignedPath } from "@/features/assets/server/signed-url";

/**
 * The path a signature covers: asset and *canonical* transformation, so the same signature works
 * for `/i/<id>/tr:…` and `/i/<id>?tr=…` and for any spelling that normalises to the same steps,
 * while any change to the steps breaks it.
 */
export function signedImagePath(assetId: string, canonical: string): string {
  return canonical ? `/i/${assetId}/tr:${canonical}` : `/i/${assetId}`;
}

/** The URL form of the path: prompts may hold spaces; `:` and `,` stay readable. */
export function encodeImagePath(assetId: string, canonical: string): string {
  if (!canonical) return `/i/${assetId}`;
  const encoded = encodeURIComponent(canonical).replace(/%3A/g, ":").replace(/%2C/g, ",");
  return `/i/${assetId}/tr:${encoded}`;
}

export function signImageUrl(input: { secret: string; assetId: string; canonical: string; expiresAt: number }): string {
  const signature = signatureFor(input.secret, signedImagePath(input.assetId, input.canonical), input.expiresAt);
  return `${encodeImagePath(input.assetId, input.canonical)}?expires=${input.expiresAt}&signature=${signature}`;
}

export function verifyImageSignature(
  secret: string,
  assetId: string,
  canonical: string,
  query: { expires?: string; signature?: string },
  nowSeconds?: number,
): boolean {
  return verifySignedPath(secret, signedImagePath(assetId, canonical), query, nowSeconds);
}

/** Rounded up to the minute: links made close together are the same URL, so caches share them. */
export function expiryFor(ttlSeconds: number, nowMs = Date.now()): number {
  return Math.ceil((nowMs / 1000 + ttlSeconds) / 60) * 60;
}
