/** Headers every answer carries, pages, API and images alike. */
import "server-only";
export function baseSecurityHeaders(options: { https: boolean }): [string, string][] {
  const headers: [string, string][] = [
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    ["X-Frame-Options", "DENY"],
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"],
  ];
  // Only over https: a browser that saw HSTS on plain http would lock itself out of a local install.
  if (options.https) headers.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  return headers;
}

/**
 * The pages' policy: scripts only from our origin or carrying this response's nonce (Next.js puts
 * the nonce it finds in the request's policy on its inline scripts), no 'unsafe-inline' for
 * scripts. Styles keep 'unsafe-inline' (React writes style attributes). Images may also be
 * blob:/data: (local previews). React needs eval only in development, for its error overlays.
 */
export function pageContentSecurityPolicy(nonce: string, options: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
