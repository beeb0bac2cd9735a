import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { trustedEmbeddedIssuer, verifierFromSettings } from '../../gateway/authentication/settings.ts';
import { pagesFromSettings, type GatewayEnvironment } from '../../gateway/environment.ts';
import { pageRoutes } from '../../gateway/pages/pages.ts';
import { startHttpService, type HttpService } from '../../platform/http/server.ts';
import { createLogger } from '../../platform/logger.ts';

// The sign-in and the pages over real HTTP, as a browser (or a hostile page in one) would call them.
describe('signing in to the pages with the embedded issuer', () => {
  let service: HttpService;
  beforeAll(async () => {
    const issuer = await openEmbeddedIssuer();
    service = await startHttpService({ name: 'gateway', port: 0, logger: createLogger('gateway'), checks: [], routes: pageRoutes({ explorer: true, signIn: issuer }) });
  });
  afterAll(() => service?.close());

  /** As sent, without fetch's normalising: the path and Host header a hostile client chooses. */
  const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<{ status: number }>((resolve, reject) => {
      const request = httpRequest(`${service.url}${path}`, { method, headers, path }, (response) => {
        response.resume();
        resolve({ status: response.statusCode! });
      });
      request.on('error', reject);
      request.end(body);
    });

  const signIn = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}/pages/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('gives a token for the role picked, which the gateway verifies', async () => {
    const response = await signIn({ role: 'front_desk' }, { origin: service.url });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const verify = await verifierFromSettings('embedded');
    await expect(verify(token)).resolves.toMatchObject({ roles: ['front_desk'] });
  });

  it('binds a patient token to the patient named, and refuses one without', async () => {
    const bound = (await (await signIn({ role: 'patient', patient: 'pat-0007' })).json()) as { token: string };
    await expect((await verifierFromSettings('embedded'))(bound.token)).resolves.toMatchObject({ patient: 'pat-0007' });
    const unbound = await signIn({ role: 'patient' });
    expect(unbound.status).toBe(400);
    expect(await unbound.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'BINDING_REQUIRED' } }] });
  });

  it('refuses an unknown role without repeating what was sent', async () => {
    const response = await signIn({ role: 'Ada Lovelace' });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_ROLE' } }] });
    expect(text).not.toContain('Lovelace');
  });

  it('answers no cross-site form, no page of another origin and no rebound host name', async () => {
    const form = await fetch(`${service.url}/pages/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'role=admin' });
    expect(form.status).toBe(400);
    expect((await signIn({ role: 'admin' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await raw('POST', '/pages/sign-in', { host: 'rebound.evil.example', 'content-type': 'application/json' }, '{"role":"admin"}')).status).toBe(403);
  });

  it('serves pages that may load nothing but the gateway', async () => {
    const response = await fetch(`${service.url}/explorer`);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'self'/);
    expect(await response.text()).not.toMatch(/src="https?:|href="https?:/);
    expect((await raw('GET', '/pages/../package.json')).status).toBe(404);
    expect((await raw('GET', '/pages/%2e%2e%2fpackage.json')).status).toBe(404);
    expect((await raw('GET', '/anything-else')).status).toBe(404);
  });
});

describe('where the explorer and the sign-in are served', () => {
  afterEach(() => vi.unstubAllEnvs());
  const environment = (mode: GatewayEnvironment['mode'], embeddedIssuer?: GatewayEnvironment['embeddedIssuer']) => ({ mode, embeddedIssuer }) as GatewayEnvironment;

  it('serves the explorer in embedded mode, and in production only when EXPLORER is set', async () => {
    expect(pagesFromSettings(environment('embedded')).explorer).toBe(true);
    expect(pagesFromSettings(environment('production')).explorer).toBe(false);
    vi.stubEnv('EXPLORER', 'true');
    expect(pagesFromSettings(environment('production')).explorer).toBe(true);
  });

  it('offers the sign-in only where the embedded issuer is the one trusted', async () => {
    expect(await trustedEmbeddedIssuer('embedded')).toBeDefined();
    expect(await trustedEmbeddedIssuer('production')).toBeUndefined();
    vi.stubEnv('AUTH_JWKS_FILE', '/etc/idp/jwks.json');
    expect(await trustedEmbeddedIssuer('embedded')).toBeUndefined();
    const routes = pageRoutes({ explorer: false });
    expect(Object.keys(routes)).not.toContain('/pages/sign-in');
    expect(Object.keys(routes)).not.toContain('/explorer');
  });
});
