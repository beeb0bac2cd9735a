import { BlockList, isIP } from 'node:net';

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

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Never a target: RFC 6890 special-purpose ranges (IPv4-mapped IPv6 addresses are checked as IPv4). */
const special = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 3], // multicast, reserved, broadcast
] as const) special.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['64:ff9b::', 96], // NAT64: may embed a private IPv4 address
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: may embed a private IPv4 address
  ['fc00::', 7], // unique local (private)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) special.addSubnet(network, prefix, 'ipv6');

const familyOf = (address: string) => (isIP(address) === 4 ? 'ipv4' : 'ipv6');

/** 127.0.0.0/8, ::1 (also IPv4-mapped), `localhost` and names under it. */
export function isLoopback(host: string): boolean {
  if (isIP(host) === 0) return host === 'localhost' || host.endsWith('.localhost');
  return loopback.check(host, familyOf(host));
}

/** True when the policy forbids connecting to this IP address (or to what is not an IP address). */
export function refusedAddress(address: string, policy: TargetPolicy): boolean {
  if (isIP(address) === 0) return true;
  if (isLoopback(address)) return !policy.loopbackAllowed;
  return special.check(address, familyOf(address));
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
