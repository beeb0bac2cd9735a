import { describe, expect, it } from 'vitest';
import { validEndpointUrl } from '../../platform/webhooks/endpoint-url.ts';
import { refusedAddress, type TargetPolicy } from '../../platform/webhooks/target-policy.ts';
import { guardedLookup, TARGET_REFUSED } from '../../gateway/webhooks/guarded-lookup.ts';

const production: TargetPolicy = { loopbackAllowed: false };
const embedded: TargetPolicy = { loopbackAllowed: true };

describe('where webhooks may go', () => {
  it.each([
    '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::ffff:10.0.0.1', 'fd12:3456::1', 'fe80::1', '::', '64:ff9b::a00:1', 'not-an-address',
  ])('never to %s', (address) => {
    expect(refusedAddress(address, production)).toBe(true);
    expect(refusedAddress(address, embedded)).toBe(true);
  });

  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('to the loopback address %s in embedded mode only', (address) => {
    expect(refusedAddress(address, production)).toBe(true);
    expect(refusedAddress(address, embedded)).toBe(false);
  });

  it.each(['93.184.216.34', '2606:4700::1111'])('to the public address %s', (address) => {
    expect(refusedAddress(address, production)).toBe(false);
  });

  it.each([
    ['https://payer.example/hooks?tenant=7', 'https://payer.example/hooks?tenant=7'],
    ['https://PAYER.example./hooks#part', 'https://payer.example./hooks'],
  ])('accepts %s in production', (url, normalized) => {
    expect(validEndpointUrl(url, production)).toBe(normalized);
  });

  it.each([
    'http://payer.example/hooks', 'http://127.0.0.1:8080/hooks', 'https://localhost/hooks', 'https://[::1]/hooks',
    'https://192.168.0.10/hooks', 'https://intranet/hooks', 'https://printer.local/', 'ftp://payer.example/',
  ])('refuses %s in production', (url) => {
    expect(() => validEndpointUrl(url, production)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });

  it.each(['http://127.0.0.1:8080/hooks', 'http://localhost:8080/hooks', 'http://[::1]:8080/hooks', 'https://localhost/hooks'])(
    'accepts %s in embedded mode',
    (url) => {
      expect(validEndpointUrl(url, embedded)).toBe(url);
    },
  );

  it('keeps plain http to loopback hosts in embedded mode too', () => {
    expect(() => validEndpointUrl('http://payer.example/hooks', embedded)).toThrow('url must use https');
  });

  it('refuses, when connecting, a name that resolves to a forbidden address', async () => {
    const resolve = (policy: TargetPolicy) =>
      new Promise<{ code?: unknown; address: unknown }>((done) =>
        guardedLookup(policy)('localhost', { all: true }, (error, address) => done({ code: (error as { code?: unknown } | null)?.code, address })),
      );
    expect(await resolve(production)).toMatchObject({ code: TARGET_REFUSED });
    expect((await resolve(embedded)).address).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) })]));
  });
});
