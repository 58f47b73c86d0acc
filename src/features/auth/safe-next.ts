/**
 * Where to go after signing in, given an untrusted `next` (or callback) value: a path on `origin`,
 * else `fallback`. Browsers strip tabs and newlines, turn `\` into `/` and read `//host` as another
 * site, and some code decodes a path once more, so whitespace, control characters and backslashes
 * (the latter two also percent-encoded) are refused, and the normalised path must start with one `/`.
 */
export function safeNext(next: string | undefined, origin: string, fallback = "/dashboard"): string {
  if (!next) return fallback;
  const own = new URL(origin).origin;
  if (!next.startsWith("/") && !next.toLowerCase().startsWith(`${own}/`)) return fallback;

  let decoded: string;
  let url: URL;
  try {
    decoded = decodeURIComponent(next);
    url = new URL(next, own);
  } catch {
    return fallback;
  }
  if (unsafe.test(next) || strippedByBrowsers.test(decoded) || url.origin !== own) return fallback;

  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//x" and "/a/..//x" normalise to "//x"; "/%2F/x" reads as "//x" once decoded.
  if (!path.startsWith("/") || path.startsWith("//") || safeDecode(url.pathname).startsWith("//")) return fallback;
  return path;
}

const unsafe = /[\s\u0000-\u001f\u007f\\]/;
const strippedByBrowsers = /[\u0000-\u001f\u007f\\]/;

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
