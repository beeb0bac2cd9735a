import { createLocalJWKSet } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthenticator, type Authenticate } from '../../gateway/authentication/authenticator.ts';
import { openEmbeddedIssuer, type EmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { createTokenVerifier, type TokenVerifier } from '../../gateway/authentication/token-verifier.ts';
import { expiringCache } from '../../platform/cache.ts';
import { expectUnauthenticated, suiteDataDir } from './helpers.ts';

let issuer: EmbeddedIssuer;
let verifications: number;
let authenticate: Authenticate;

beforeAll(async () => {
  issuer = await openEmbeddedIssuer({ dataDir: await suiteDataDir() });
});

beforeEach(() => {
  // Only the clock is faked: jose's crypto and promises run for real.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
  const verify = createTokenVerifier({ keys: createLocalJWKSet(issuer.jwks), issuer: issuer.issuer, audience: issuer.audience, clockToleranceSeconds: 0 });
  verifications = 0;
  const counted: TokenVerifier = (token) => {
    verifications += 1;
    return verify(token);
  };
  authenticate = createAuthenticator(counted, { cacheSize: 2 });
});
afterEach(() => vi.useRealTimers());

const bearerFor = async (subject: string, ttlSeconds = 60) => `Bearer ${await issuer.issueToken({ role: 'clinician', subject, ttlSeconds })}`;

describe('the verified-token cache', () => {
  it('verifies a hot caller once and hands out the same frozen caller', async () => {
    const header = await bearerFor('hot');
    const first = await authenticate(header);
    vi.advanceTimersByTime(59_000);
    expect(await authenticate(header)).toBe(first);
    expect(verifications).toBe(1);
    expect(Object.isFrozen(first) && Object.isFrozen(first?.roles)).toBe(true);
  });

  it('never returns a caller past the token expiry', async () => {
    const header = await bearerFor('expiring');
    await authenticate(header);
    vi.advanceTimersByTime(60_000);
    await expectUnauthenticated(authenticate(header), 'TOKEN_EXPIRED');
    expect(verifications).toBe(2);
  });

  it('is bounded: the least recently used token is verified again', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((subject) => bearerFor(subject)));
    for (const header of [a, b, a, c, a, b]) await authenticate(header as string);
    expect(verifications).toBe(4);
  });
});

describe('the expiring cache', () => {
  it('does not keep what is already expired', () => {
    const cache = expiringCache<string>(10);
    cache.set('past', 'v', Date.now());
    expect(cache.get('past')).toBeUndefined();
  });

  it('keeps an entry until its instant on the wall clock, and not a millisecond after', () => {
    const cache = expiringCache<string>(10);
    cache.set('token', 'v', Date.now() + 1_000);
    vi.advanceTimersByTime(999);
    expect(cache.get('token')).toBe('v');
    vi.advanceTimersByTime(1);
    expect(cache.get('token')).toBeUndefined();
  });
});
