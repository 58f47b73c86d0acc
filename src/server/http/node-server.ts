import "server-only";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { DEFAULT_BODY_LIMIT } from "./body-limit";
import { baseSecurityHeaders, pageContentSecurityPolicy } from "./security-headers";

export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export type NodeServerOptions = {
  /** The Hono app: /api/* and /i/*. */
  fetch: (request: Request, env: unknown) => Response | Promise<Response>;
  /** Everything else: the pages (Next.js's request handler). */
  pages: PageHandler;
  https: boolean;
  dev: boolean;
  onPageError?: (error: unknown) => void;
};

/**
 * The one HTTP server of a web process. /api and /i go straight to the Hono app, with the real
 * socket behind them (the peer address for per-address limits, bodies read as streams); the
 * pages go to Next.js with a fresh CSP nonce per response.
 */
export function createNodeServer(options: NodeServerOptions): Server {
  const api = getRequestListener(options.fetch);
  const securityHeaders = baseSecurityHeaders({ https: options.https });
  return createServer((req, res) => {
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    res.once("finish", () => lingerThenClose(req));
    if (isApiPath(req.url ?? "/")) {
      void api(req, res);
      return;
    }
    const refusal = pageBodyRefusal(req);
    if (refusal) {
      res.writeHead(refusal, { "Content-Type": "text/plain; charset=utf-8" }).end();
      return;
    }
    const csp = pageContentSecurityPolicy(randomBytes(16).toString("base64"), { dev: options.dev });
    // Next.js reads the nonce from the request's policy and stamps it on its own scripts.
    req.headers["content-security-policy"] = csp;
    res.setHeader("Content-Security-Policy", csp);
    options.pages(req, res).catch((error: unknown) => {
      options.onPageError?.(error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
}

/** How long, and how much, an answered request's unread body is discarded before the cut. */
const LINGER_MS = 1_000;
const LINGER_BYTES = 4 * 1024 * 1024;

/**
 * An answer sent before its request body was read (a 413, a 401 before an upload): cutting the
 * connection at once would reset it, and a reset can destroy the answer before the client reads
 * it. So the rest of the body is discarded (never buffered) for a moment, then the connection is
 * cut: a flood costs at most LINGER_BYTES of reading per request, and no memory.
 */
function lingerThenClose(req: IncomingMessage) {
  if (req.complete || req.destroyed) return;
  let discarded = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) cut();
  });
  req.once("end", () => clearTimeout(timer));
  req.resume();
}

export function isApiPath(url: string): boolean {
  return url === "/api" || url.startsWith("/api/") || url.startsWith("/api?") || url.startsWith("/i/");
}

/** Pages take no uploads: a body over the limit, or one of unknown length, is refused unread. */
function pageBodyRefusal(req: IncomingMessage): number | undefined {
  const length = req.headers["content-length"];
  if (length !== undefined) return Number(length) > DEFAULT_BODY_LIMIT ? 413 : undefined;
  return req.headers["transfer-encoding"] ? 411 : undefined;
}
