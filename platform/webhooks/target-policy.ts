import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Where webhooks may be sent. Partners choose the URL, so a webhook is a request our network makes
 * on a stranger's behalf (SSRF): it must never reach a private network, the cloud metadata address
 * or the deliverer's own host. The same rules are checked at registration and again on every
 * connection, against each address the name resolves to then, so a name later pointed at a private
 * address (DNS rebinding) is refused too. A production deployment also runs the deliverer in a
 * subnet with egress to the internet only.
 */
export interface TargetPolicy {
  /**
   * Embedded mode and tests only: http and https to loopback addresses (127.0.0.0/8, ::1,
   * localhost). Outside them endpoints are https and public.
   */
  loopbackAllowed: boolean;
}

/** IANA's global unicast space: everything else in IPv6 (::/8 with IPv4-compatible ::/96, fc00::/7, fec0::/10...) is not. */
const GLOBAL_UNICAST_IPV6 = ipaddr.parseCIDR('2000::/3');

/**
 * The address as the connection would reach it, classified by ipaddr.js's table of the IANA
 * special-purpose registries: an IPv4-mapped IPv6 address is its IPv4 address; an address is global
 * only when ipaddr.js calls it `unicast`, which it does for none of NAT64, 6to4, Teredo,
 * documentation, benchmarking, private, carrier-grade NAT, link-local, multicast or reserved ranges.
 */
function rangeOf(address: string): 'loopback' | 'global' | 'special' {
  let parsed = ipaddr.parse(withHexTail(address));
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === 'loopback') return 'loopback';
  if (range !== 'unicast') return 'special';
  return parsed.kind() === 'ipv4' || parsed.match(GLOBAL_UNICAST_IPV6) ? 'global' : 'special';
}

/**
 * An IPv6 address with its dotted IPv4 tail (`::10.0.0.1`, as DNS answers print IPv4-compatible
 * addresses) written in hex: ipaddr.js 2.5 reads any `::a.b.c.d` as IPv4-mapped `::ffff:a.b.c.d`.
 */
function withHexTail(address: string): string {
  return address.replace(/:(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) => {
    const group = (high: string, low: string) => ((Number(high) << 8) | Number(low)).toString(16);
    return `:${group(a, b)}:${group(c, d)}`;
  });
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped), `localhost` and names under it. */
export function isLoopback(host: string): boolean {
  if (isIP(host) === 0) return host === 'localhost' || host.endsWith('.localhost');
  return rangeOf(host) === 'loopback';
}

/** True when the policy forbids connecting to this IP address (or to what is not an IP address). */
export function refusedAddress(address: string, policy: TargetPolicy): boolean {
  if (isIP(address) === 0) return true;
  const range = rangeOf(address);
  return range === 'loopback' ? !policy.loopbackAllowed : range !== 'global';
}

/** Names that only mean something inside a network: `metadata.google.internal`, `printer.local`, `intranet`. */
const isInternalName = (name: string) => !name.includes('.') || /\.(internal|local|localdomain|home\.arpa)$/.test(name);

/** The URL's host as an address or a name: IPv6 without its brackets, a name in lower case without a trailing dot. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();

/** True when the policy forbids the host before any lookup: a refused address, or an internal name. */
export function refusedHost(host: string, policy: TargetPolicy): boolean {
  if (isLoopback(host)) return !policy.loopbackAllowed;
  return isIP(host) === 0 ? isInternalName(host) : refusedAddress(host, policy);
}
