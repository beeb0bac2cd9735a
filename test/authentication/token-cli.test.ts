import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthenticator } from '../../gateway/authentication/authenticator.ts';
import { verifierFromSettings } from '../../gateway/authentication/settings.ts';
import { suiteDataDir } from './helpers.ts';

const run = promisify(execFile);
let dataDir: string;

beforeAll(async () => {
  dataDir = await suiteDataDir();
});

// The embedded issuer's defaults, here and in the spawned CLI.
const defaults = { AUTH_JWKS_URL: '', AUTH_JWKS_FILE: '', AUTH_ISSUER: '', AUTH_AUDIENCE: '' };
beforeAll(() => Object.entries(defaults).forEach(([name, value]) => vi.stubEnv(name, value)));
afterAll(() => vi.unstubAllEnvs());

const tokenCli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'gateway/authentication/token-cli.ts', '--data-dir', dataDir, ...args], { env: { ...process.env, ...defaults } });

describe('npm run token', () => {
  it('prints only a token that the embedded gateway accepts', async () => {
    const { stdout } = await tokenCli('--role', 'patient', '--patient', 'pat-0001', '--purpose', 'TREAT', '--scopes', 'patient/Patient.rs', '--ttl', '600');
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const authenticate = createAuthenticator(await verifierFromSettings('embedded', dataDir));
    await expect(authenticate(`Bearer ${stdout.trim()}`)).resolves.toMatchObject({
      roles: ['patient'], patientId: 'pat-0001', purposeOfUse: 'TREAT', scopes: ['patient/Patient.rs'],
    });
  });

  it('names the roles and exits with 2 for an unknown role', async () => {
    const failure = await tokenCli('--role', 'nurse').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    expect((failure as { stderr: string }).stderr).toContain('patient, clinician, front_desk, billing_specialist, payer_partner, odoo_service, data_steward, onboarding_service, auditor, operations, admin');
  });
});
