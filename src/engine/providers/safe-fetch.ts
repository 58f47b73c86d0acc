import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import ipaddr from "ipaddr.js";
import { Agent, fetch, type Dispatcher } from "undici";
import { ProviderError } from "@/engine/providers/errors";

export type SafeFetchOptions = {
  maxBytes: number;
  timeoutMs: number;
  /** Origins the operator configured (a provider's base URL): fetched without the address rule. */
  trustedOrigins?: string[];
  signal?: AbortSignal;
  maxRedirects?: number;
};

/** Only public unicast addresses: no loopback, private, link-local, metadata or reserved ranges. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Checks every address a host resolves to at connect time, so a DNS answer cannot change between
 * the check and the connection (rebinding).
 */
function publicOnlyLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback) {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const refused = list.find((a) => !isPublicAddress(a.address));
    if (refused || list.length === 0) {
      const blocked = Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: "ENOTPUBLIC" });
      return callback(blocked, []);
    }
    if (options.all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}

const publicAgent = new Agent({ connect: { lookup: publicOnlyLookup as never } });
const trustedAgent = new Agent();

/**
 * Fetches a URL a vendor answered with. Redirects are followed by hand so each hop is checked;
 * the body is read up to `maxBytes`. Failures are ProviderErrors: a refused or oversized URL is
 * "malformed" (the vendor answered something unusable), a slow one "retriable".
 */
export async function fetchRemote(url: string, options: SafeFetchOptions): Promise<{ data: Buffer; mime: string }> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = parseHttpUrl(url);
  // Trust holds only while every hop stays on trusted origins: a public URL must not redirect into
  // the operator's private network just because a provider's own server lives there.
  let chainTrusted = true;
  for (let hop = 0; hop <= (options.maxRedirects ?? 3); hop++) {
    const trusted: boolean = chainTrusted && (options.trustedOrigins?.includes(current.origin) ?? false);
    chainTrusted = trusted;
    if (
      !trusted &&
      ipaddr.isValid(current.hostname.replace(/^\[|\]$/g, "")) &&
      !isPublicAddress(current.hostname.replace(/^\[|\]$/g, ""))
    ) {
      throw new ProviderError("malformed", `result URL points to a non-public address: ${current.host}`);
    }
    const response = await request(current, trusted ? trustedAgent : publicAgent, signal, timeout);
    if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
      await response.body?.cancel();
      current = parseHttpUrl(new URL(response.headers.get("location")!, current).toString());
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ProviderError(
        response.status >= 500 ? "retriable" : "malformed",
        `result URL answered ${response.status}`,
        {
          status: response.status,
        },
      );
    }
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw new ProviderError("malformed", `result is larger than ${options.maxBytes} bytes`);
    }
    const data = await readBody(response, options.maxBytes, signal, timeout);
    return { data, mime: (response.headers.get("content-type") ?? "application/octet-stream").split(";")[0]!.trim() };
  }
  throw new ProviderError("malformed", "result URL redirects too often");
}

function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProviderError("malformed", "result URL is not a URL");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ProviderError("malformed", `result URL has an unsupported scheme: ${parsed.protocol}`);
  }
  if (parsed.username || parsed.password) throw new ProviderError("malformed", "result URL carries credentials");
  return parsed;
}

async function request(url: URL, dispatcher: Dispatcher, signal: AbortSignal, timeout: AbortSignal) {
  try {
    return await fetch(url, { redirect: "manual", dispatcher, signal });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === "ENOTPUBLIC")
      throw new ProviderError("malformed", `result URL points to a non-public address: ${url.host}`);
    if (timeout.aborted) throw new ProviderError("retriable", "result URL timed out", { cause: error });
    if (signal.aborted) throw error;
    throw new ProviderError("retriable", `result URL failed: ${(error as Error).message}`, { cause: error });
  }
}

/** A body that stalls past the time limit is a slow vendor (retriable), like slow headers. */
async function readBody(
  response: Awaited<ReturnType<typeof fetch>>,
  maxBytes: number,
  signal: AbortSignal,
  timeout: AbortSignal,
) {
  try {
    return await readLimited(response, maxBytes);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (timeout.aborted) throw new ProviderError("retriable", "result URL timed out", { cause: error });
    if (signal.aborted) throw error;
    throw new ProviderError("retriable", `result URL failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Reads a body up to `maxBytes`; more is a malformed answer. Also for adapters reading their vendor's bodies. */
export async function readLimited(
  response: Response | Awaited<ReturnType<typeof fetch>>,
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new ProviderError("malformed", `result is larger than ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
