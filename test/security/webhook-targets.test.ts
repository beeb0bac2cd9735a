import { describe, expect, it } from 'vitest';
import { validEndpointUrl } from '../../platform/webhooks/endpoint-url.ts';
import { refusedAddress, type TargetPolicy } from '../../platform/webhooks/target-policy.ts';

const production: TargetPolicy = { loopbackAllowed: false };
const embedded: TargetPolicy = { loopbackAllowed: true };

/** Issue 11, finding 8: a partner's webhook may reach only globally routable addresses, in either family. */
const nonGlobal: Array<[range: string, addresses: string[]]> = [
  ['IPv4 private', ['10.0.0.1', '172.16.5.4', '192.168.1.1']],
  ['IPv4 carrier-grade NAT', ['100.64.0.1', '100.127.255.254']],
  ['IPv4 link-local and cloud metadata', ['169.254.169.254']],
  ['IPv4 unspecified and "this network"', ['0.0.0.0', '0.1.2.3']],
  ['IPv4 multicast, reserved, broadcast', ['224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255']],
  ['IPv4 documentation', ['192.0.2.1', '198.51.100.7', '203.0.113.9']],
  ['IPv4 protocol assignments and benchmarking', ['192.0.0.8', '198.18.0.1']],
  ['IPv4-mapped IPv6 of non-global IPv4', ['::ffff:10.0.0.1', '::ffff:169.254.169.254', '::ffff:0.0.0.0']],
  ['IPv4-compatible IPv6 (deprecated ::/96)', ['::10.0.0.1', '::a00:1', '::5db8:d822', '::8.8.8.8']],
  ['NAT64 well-known prefix', ['64:ff9b::a00:1', '64:ff9b::808:808']],
  ['NAT64 local-use prefix 64:ff9b:1::/48', ['64:ff9b:1::a00:1', '64:ff9b:1:ffff::1']],
  ['6to4', ['2002:a00:1::1', '2002:808:808::1']],
  ['Teredo', ['2001::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2']],
  ['IPv6 site-local (deprecated fec0::/10)', ['fec0::1', 'feff::1']],
  ['IPv6 unique local', ['fc00::1', 'fd12:3456::1']],
  ['IPv6 link-local', ['fe80::1', 'febf::1']],
  ['IPv6 multicast', ['ff02::1', 'ff0e::1']],
  ['IPv6 unspecified', ['::']],
  ['IPv6 documentation', ['2001:db8::1', '3fff::1']],
  ['IPv6 discard and benchmarking', ['100::1', '2001:2::1']],
  ['IPv6 outside global unicast 2000::/3', ['4000::1', 'e000::1', '5f00::1']],
  ['not an address', ['not-an-address', '']],
];

describe('webhook targets are global addresses only (issue 11, finding 8)', () => {
  describe.each(nonGlobal)('%s', (_range, addresses) => {
    it.each(addresses)('refuses %s, in production and in embedded mode', (address) => {
      expect(refusedAddress(address, production)).toBe(true);
      expect(refusedAddress(address, embedded)).toBe(true);
    });
  });

  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('refuses the loopback address %s outside embedded mode', (address) => {
    expect(refusedAddress(address, production)).toBe(true);
    expect(refusedAddress(address, embedded)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '::ffff:93.184.216.34', '2606:4700::1111', '2001:4860:4860::8888'])('accepts the global address %s', (address) => {
    expect(refusedAddress(address, production)).toBe(false);
  });

  // The URL parser writes [::10.0.0.1] as [::a00:1]; the policy sees what the connection would use.
  it.each(['https://[::10.0.0.1]/hooks', 'https://[64:ff9b:1::a00:1]/hooks', 'https://[fec0::1]/hooks', 'https://[2002:a00:1::1]/hooks', 'https://[::ffff:a00:1]/hooks'])(
    'refuses to register %s',
    (url) => {
      expect(() => validEndpointUrl(url, production)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    },
  );
});
