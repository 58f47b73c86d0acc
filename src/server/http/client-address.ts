import "server-only";
import ipaddr from "ipaddr.js";
import type { Context } from "hono";

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } };

/**
 * The client's address for per-address limits, only from sources a client cannot forge: the socket
 * peer, or behind a trusted proxy (TRUST_PROXY) the last X-Forwarded-For hop, which that proxy
 * appended. IPv6 clients are keyed by their /64, since one subscriber gets a whole /64 to pick from.
 */
export function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const hops = c.req
      .header("x-forwarded-for")
      ?.split(",")
      .map((hop) => hop.trim())
      .filter(Boolean);
    const last = hops?.at(-1);
    if (last) return addressKey(last);
  }
  const peer = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
  return peer ? addressKey(peer) : undefined;
}

/** One key per client: IPv4 as is (also when IPv4-mapped), IPv6 as its /64 network. */
export function addressKey(raw: string): string | undefined {
  if (!ipaddr.isValid(raw)) return undefined;
  const parsed = ipaddr.process(raw);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`);
  return `${network.toNormalizedString()}/64`;
}
