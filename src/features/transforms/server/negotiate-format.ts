import "server-only";
import { formatOfMime } from "./encode-output";
import type { ImageFormat, Transformation } from "./transformation-types";

/**
 * The encoding of a derived image, known before any work so the cache key can include it.
 * Without `f` (or with f-orig) the asset's own format is kept; chains with an AI step default
 * to PNG because their outputs (cut-outs, shadows) usually carry transparency. `f-auto` picks
 * AVIF, then WebP, from the Accept header, else that default.
 */
export function chooseFormat(input: {
  transformation: Transformation;
  assetMime: string;
  accept: string | undefined;
}): {
  format: ImageFormat;
  negotiated: boolean;
} {
  const requested = input.transformation.format;
  const hasAi = input.transformation.steps.some((step) => step.kind === "ai");
  const original: ImageFormat = hasAi ? "png" : (formatOfMime(input.assetMime) ?? "png");
  if (requested === "auto") {
    const accepted = acceptedTypes(input.accept);
    const format = accepted.has("image/avif") ? "avif" : accepted.has("image/webp") ? "webp" : original;
    return { format, negotiated: true };
  }
  return { format: requested === undefined || requested === "orig" ? original : requested, negotiated: false };
}

/** Media types the client accepts with q > 0 (wildcards do not count: every browser sends them). */
function acceptedTypes(accept: string | undefined): Set<string> {
  const types = new Set<string>();
  for (const part of (accept ?? "").split(",")) {
    const [type = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && !(Number(q.slice(2)) > 0)) continue;
    types.add(type.trim());
  }
  return types;
}
