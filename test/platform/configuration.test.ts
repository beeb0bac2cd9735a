import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkSettings, ConfigurationError, setting } from '../../platform/config.ts';
import { readmePath, withSettingsTables } from '../../scripts/configuration-docs.ts';

const run = promisify(execFile);
const projectRoot = new URL('../../', import.meta.url);

/** A service or command started as a child process with `env` over the test's (already isolated) environment. */
async function startFails(script: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    await run(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, output: '' };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

afterEach(() => vi.unstubAllEnvs());

describe('one typed configuration', () => {
  it('is what the README says: its settings tables are generated from the declarations (npm run docs:configuration)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(withSettingsTables(readme).split('\n')).toEqual(readme.split('\n'));
  });

  it('reads settings typed, with their defaults', () => {
    vi.stubEnv('SUBGRAPH_TIMEOUT_MS', '2500');
    vi.stubEnv('GOVERNANCE', 'off');
    expect(setting('SUBGRAPH_TIMEOUT_MS')).toBe(2500);
    expect(setting('GOVERNANCE')).toBe(false);
    expect(setting('EVENT_LOG_KEY_PREFIX')).toBe('healthgraph:');
    expect(setting('REDIS_URL')).toBeUndefined();
  });

  it.each([
    ['DATABASE_URL', 'base', /^DATABASE_URL must be a URL starting postgres:\/\/ or postgresql:\/\//],
    ['REDIS_URL', 'localhost:6379', /^REDIS_URL must be a URL starting redis:\/\/ or rediss:\/\//],
    ['PORT', 'eighty', /^PORT must be an integer from 0 to 65535, got "eighty"$/],
    ['AUTHORIZATION_MODE', 'strict', /^AUTHORIZATION_MODE must be one of filter, reject, got "strict"$/],
    ['GOVERNANCE', 'maybe', /^GOVERNANCE must be true or false/],
    ['ODOO_WEBHOOK_TOKEN', 'short', /^ODOO_WEBHOOK_TOKEN must be at least 32 letters, digits, - or _$/],
  ] as const)('names %s when its value cannot work, never repeating a secret', (name, value, message) => {
    vi.stubEnv(name, value);
    expect(() => setting(name)).toThrow(ConfigurationError);
    expect(() => setting(name)).toThrow(message);
  });

  it('checks every setting a service reads at start, naming each bad one', () => {
    vi.stubEnv('DATABASE_URL', 'base');
    vi.stubEnv('EVENT_LOG_MAX_LENGTH', '-1');
    vi.stubEnv('BENCH_ROUNDS', 'many');
    expect(() => checkSettings('patients')).toThrow(/DATABASE_URL must be .*; EVENT_LOG_MAX_LENGTH must be/);
    // A benchmark's setting is not the service's business.
    expect(() => checkSettings('patients')).not.toThrow(/BENCH_ROUNDS/);
  });

  it('refuses a renamed setting rather than ignoring it', () => {
    vi.stubEnv('GATEWAY_MODE', 'embedded');
    expect(() => checkSettings('gateway')).toThrow('GATEWAY_MODE is now RUN_MODE');
  });

  it('stops a service whose DATABASE_URL is bad with an error naming DATABASE_URL, not the driver\'s', async () => {
    const { code, output } = await startFails('subgraphs/patients/main.ts', { DATABASE_URL: 'base' });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL must be a URL');
    expect(output).not.toContain('ENOTFOUND');
  });

  it('names DATABASE_URL when PostgreSQL is not where it says', async () => {
    const { code, output } = await startFails('scripts/audit-verify.ts', { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(code).toBe(2);
    expect(output).toMatch(/DATABASE_URL: PostgreSQL at 127\.0\.0\.1:1 did not accept a connection \(ECONNREFUSED\)/);
  });

  it('leaves no setting read outside platform/config.ts', async () => {
    const { stdout } = await run('git', ['grep', '-n', 'process\\.env', '--', '*.ts'], { cwd: projectRoot });
    const reads = stdout.split('\n').filter(Boolean).filter((line) => !/^(platform\/config\.ts:|test\/|bench\/process\/spawn\.ts:)/.test(line));
    expect(reads).toEqual([]);
  });
});

describe('production guards', () => {
  it('refuses the bundled Odoo stand-in: npm start in production needs ODOO_URL', async () => {
    const { code, output } = await startFails('launcher.ts', { RUN_MODE: 'production' });
    expect(code).toBe(1);
    expect(output).toContain('The bundled Odoo stand-in is refused in production (RUN_MODE=production): set ODOO_URL');
  });
});
