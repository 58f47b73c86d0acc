import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Short-lived download links: HMAC-SHA256 over path and expiry with the app secret, so a link can
 * be handed to <img>, a download or another service without a session, and stops working later.
 */
export function signPath(secret: string, path: string, expiresAt: number): string {
  return `${path}?expires=${expiresAt}&signature=${signatureFor(secret, path, expiresAt)}`;
}

/** The signature alone, for callers that build the URL themselves (e.g. /i/ image URLs). */
export function signatureFor(secret: string, path: string, expiresAt: number): string {
  return createHmac("sha256", secret).update(`${path}\n${expiresAt}`).digest("base64url");
}

export function verifySignedPath(
  secret: string,
  path: string,
  query: { expires?: string; signature?: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const expiresAt = Number(query.expires);
  if (!query.signature || !Number.isInteger(expiresAt) || expiresAt < nowSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${path}\n${expiresAt}`).digest();
  const given = Buffer.from(query.signature, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function assetFilePath(assetId: string): string {
  return `/api/v1/assets/${assetId}/file`;
}

export function signAssetUrl(secret: string, assetId: string, ttlSeconds: number): string {
  // Rounded expiry: the same URL for a while, so browsers can cache the image.
  const expiresAt = Math.ceil((Date.now() / 1000 + ttlSeconds) / 60) * 60;
  return signPath(secret, assetFilePath(assetId), expiresAt);
}
