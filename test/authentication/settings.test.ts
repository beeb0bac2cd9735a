import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEmbeddedIssuer, type EmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { verifierFromSettings } from '../../gateway/authentication/settings.ts';
import { expectUnauthenticated, suiteDataDir } from './helpers.ts';

let dataDir: string;
let issuer: EmbeddedIssuer;

beforeAll(async () => {
  dataDir = await suiteDataDir();
  issuer = await openEmbeddedIssuer({ dataDir });
});

describe('the embedded issuer keys', () => {
  it('keep the private key to its owner and publish the JWKS beside it', async () => {
    expect((await stat(join(dataDir, 'issuer', 'private-key.jwk.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'issuer', 'jwks.json'))).isFile()).toBe(true);
    expect(issuer.jwks.keys[0]).not.toHaveProperty('d');
  });

  it('are generated once, even by openers racing to create them', async () => {
    const racers = await Promise.all([1, 2, 3].map(() => openEmbeddedIssuer({ dataDir: join(dataDir, 'race') })));
    expect(new Set(racers.map((racer) => racer.jwks.keys[0]?.kid)).size).toBe(1);
    expect((await openEmbeddedIssuer({ dataDir })).jwks).toEqual(issuer.jwks);
  });
});

const withSettings = (settings: Record<string, string>) => Object.entries(settings).forEach(([name, value]) => vi.stubEnv(name, value));

describe('the verifier from settings', () => {
  const token = () => issuer.issueToken({ role: 'clinician' });
  afterEach(() => vi.unstubAllEnvs());

  it('trusts the embedded issuer in embedded mode when no identity provider is named', async () => {
    withSettings({ AUTH_JWKS_URL: '', AUTH_JWKS_FILE: '', AUTH_ISSUER: '', AUTH_AUDIENCE: '' });
    const verify = await verifierFromSettings('embedded', dataDir);
    await expect(verify(await token())).resolves.toMatchObject({ sub: 'demo-clinician' });
  });

  it('trusts a JWKS file with its issuer and audience', async () => {
    withSettings({ AUTH_JWKS_FILE: join(dataDir, 'issuer', 'jwks.json'), AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: 'other-api' });
    const verify = await verifierFromSettings('production');
    await expectUnauthenticated(verify(await token()), 'BAD_AUDIENCE');
  });

  it('never trusts the embedded issuer when an identity provider is named', async () => {
    withSettings({ AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json', AUTH_ISSUER: issuer.issuer });
    const verify = await verifierFromSettings('embedded', dataDir);
    await expectUnauthenticated(verify(await token()), 'KEY_SET_UNAVAILABLE');
  });

  it.each([
    [{}, /required outside embedded mode/],
    [{ AUTH_JWKS_URL: 'https://idp.example/jwks' }, /AUTH_ISSUER is required/],
    [{ AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_JWKS_FILE: 'jwks.json', AUTH_ISSUER: 'x' }, /not both/],
  ])('refuses to start in production with %o', async (settings, message) => {
    withSettings({ AUTH_JWKS_URL: '', AUTH_JWKS_FILE: '', AUTH_ISSUER: '', ...settings });
    await expect(verifierFromSettings('production')).rejects.toThrow(message);
  });
});
