import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  it('carries the caller and the request to the subgraph', async () => {
    const caller = callerUntil(nowSeconds() + 3600);
    const token = await createInternalTokenSigner(gatewayKey)(caller, 'req-1');
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).resolves.toEqual({ caller, requestId: 'req-1' });
  });

  it('verifies against the JWKS published in the data directory', async () => {
    const jwks = JSON.parse(await readFile(join(dataDir, 'internal', 'jwks.json'), 'utf8'));
    const token = await createInternalTokenSigner(gatewayKey)(callerUntil(nowSeconds() + 3600), 'req-1');
    await expect(verifyInternalToken(token, jwks)).resolves.toMatchObject({ requestId: 'req-1' });
  });

  it('is refused when missing', async () => {
    await expect(verifyInternalToken(undefined, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_MISSING'));
  });

  it('is refused when signed by another key', async () => {
    const token = await createInternalTokenSigner(strangerKey)(callerUntil(nowSeconds() + 3600), 'req-1');
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });

  it('is refused when it is a bearer token from the issuer', async () => {
    const issuer = await openEmbeddedIssuer({ dataDir });
    const bearer = await issuer.issueToken({ role: 'admin' });
    await expect(verifyInternalToken(bearer, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });

  it('lives 60 seconds and is refused once expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const token = await createInternalTokenSigner(gatewayKey)(callerUntil(nowSeconds() + 3600), 'req-1');
    vi.advanceTimersByTime(66_000); // past 60 s and the 5 s clock tolerance
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });

  it('never outlives the caller own token', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const token = await createInternalTokenSigner(gatewayKey)(callerUntil(nowSeconds() + 20), 'req-1');
    vi.advanceTimersByTime(26_000);
    await expect(verifyInternalToken(token, gatewayKey.publicJwk)).rejects.toMatchObject(rejection('INTERNAL_TOKEN_REJECTED'));
  });
});

describe('the internal token signer', () => {
  it('reuses a token for the same caller and request until 10 seconds before it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const sign = createInternalTokenSigner(gatewayKey);
    const caller = callerUntil(nowSeconds() + 3600);
    const first = await sign(caller, 'req-1');
    vi.advanceTimersByTime(49_000);
    expect(await sign({ ...caller }, 'req-1')).toBe(first);
    expect(await sign(caller, 'req-2')).not.toBe(first);
    vi.advanceTimersByTime(1_000);
    expect(await sign(caller, 'req-1')).not.toBe(first);
  });
});
