import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Caller } from '../../platform/caller.ts';
import { openEmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { createInternalTokenSigner, loadInternalSigningKey } from '../../gateway/authentication/internal-token.ts';
import type { SigningKey } from '../../gateway/authentication/key-store.ts';
import { verifyInternalToken } from '../../platform/internal-token.ts';
import { nowSeconds, suiteDataDir } from './helpers.ts';

let dataDir: string;
let gatewayKey: SigningKey;
let strangerKey: SigningKey;

beforeAll(async () => {
  dataDir = await suiteDataDir();
  gatewayKey = await loadInternalSigningKey(dataDir);
  strangerKey = await loadInternalSigningKey(join(dataDir, 'stranger'));
});
afterEach(() => vi.useRealTimers());

const callerUntil = (expiresAt: number): Caller => ({
  subject: 'demo-payer', clientId: 'partner', roles: ['payer_partner'], scopes: ['system/Coverage.rs'],
  organizationId: 'pay-01', purposeOfUse: 'HPAYMT', expiresAt,
});
const rejection = (reason: string) => ({ extensions: { code: 'UNAUTHENTICATED', reason } });

describe('the internal token', () => {
  it('carries the caller to the subgraph, and no request (the request id travels as x-request-id)', async () => {
    const caller = callerUntil(nowSeconds() + 3600);
    const token = await createInternalTokenSigner(gatewayKey)(caller);
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).resolves.toEqual({ caller });
    expect(decodeJwt(token)).not.toHaveProperty('request_id');
  });

  it('carries an anonymous request as a null caller', async () => {
    const token = await createInternalTokenSigner(gatewayKey)(null);
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).resolves.toEqual({ caller: null });
  });

  it('verifies against the JWKS published in the data directory', async () => {
    const jwks = JSON.parse(await readFile(join(dataDir, 'internal', 'jwks.json'), 'utf8'));
    const caller = callerUntil(nowSeconds() + 3600);
    const token = await createInternalTokenSigner(gatewayKey)(caller);
    await expect(verifyInternalToken(token, jwks)).resolves.toEqual({ caller });
  });

  it('is refused when missing', async () => {
    await expect(verifyInternalToken(undefined, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_MISSING'));
  });

  it('is refused when signed by another key', async () => {
    const token = await createInternalTokenSigner(strangerKey)(callerUntil(nowSeconds() + 3600));
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });

  it('is refused when it is a bearer token from the issuer', async () => {
    const issuer = await openEmbeddedIssuer({ dataDir });
    const bearer = await issuer.issueToken({ role: 'admin' });
    await expect(verifyInternalToken(bearer, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });

  it('lives 60 seconds and is refused once expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const token = await createInternalTokenSigner(gatewayKey)(callerUntil(nowSeconds() + 3600));
    vi.advanceTimersByTime(66_000); // past 60 s and the 5 s clock tolerance
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });

  it('is refused once expired, even after it was accepted while valid (a subgraph keeps what it verified only until then)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const caller = callerUntil(nowSeconds() + 3600);
    const token = await createInternalTokenSigner(gatewayKey)(caller);
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).resolves.toEqual({ caller });
    vi.advanceTimersByTime(59_000);
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).resolves.toEqual({ caller });
    vi.advanceTimersByTime(7_000);
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });

  it('accepted under one key is not taken on that word under keys that do not hold its signer', async () => {
    const token = await createInternalTokenSigner(strangerKey)(callerUntil(nowSeconds() + 3600));
    await expect(verifyInternalToken(token, strangerKey.publicJwk)).resolves.toMatchObject({ caller: { subject: 'demo-payer' } });
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });

  it('never outlives the caller own token', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const token = await createInternalTokenSigner(gatewayKey)(callerUntil(nowSeconds() + 20));
    vi.advanceTimersByTime(26_000);
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });
});

describe('the internal token signer', () => {
  it.each([
    { lifetime: 'its own 60 seconds', callerSeconds: 3600, lifetimeMs: 60_000 },
    { lifetime: "the caller's token's last 10 seconds", callerSeconds: 10, lifetimeMs: 10_000 },
  ])('reuses the token of a caller across requests until a fifth of its lifetime ($lifetime) is left', async ({ callerSeconds, lifetimeMs }) => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const sign = createInternalTokenSigner(gatewayKey);
    const caller = callerUntil(nowSeconds() + callerSeconds);
    const first = await sign(caller);
    vi.advanceTimersByTime(lifetimeMs * 0.8 - 1_000);
    expect(await sign({ ...caller })).toBe(first);
    vi.advanceTimersByTime(1_000);
    const renewed = await sign(caller);
    expect(renewed).not.toBe(first);
    await expect(verifyInternalToken(renewed, gatewayKey.publicJwk)).resolves.toEqual({ caller });
  });

  it('signs a token of their own for another caller, and for the same subject with other rights', async () => {
    const sign = createInternalTokenSigner(gatewayKey);
    const caller = callerUntil(nowSeconds() + 3600);
    const first = await sign(caller);
    const other = { ...caller, subject: 'other-payer' };
    const fewerScopes = { ...caller, scopes: [] };
    expect(await sign(other)).not.toBe(first);
    expect(await sign(fewerScopes)).not.toBe(first);
    await expect(verifyInternalToken(await sign(other), gatewayKey.publicJwk)).resolves.toEqual({ caller: other });
    await expect(verifyInternalToken(await sign(fewerScopes), gatewayKey.publicJwk)).resolves.toEqual({ caller: fewerScopes });
  });

  it('forgets the least recently used caller when full', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const sign = createInternalTokenSigner(gatewayKey, { cacheSize: 1 });
    const caller = callerUntil(nowSeconds() + 3600);
    const first = await sign(caller);
    await sign({ ...caller, subject: 'other-payer' });
    // EdDSA signatures are deterministic: only a later issue time tells a token signed anew.
    vi.advanceTimersByTime(1_000);
    expect(await sign(caller)).not.toBe(first);
  });
});
