// Issue 14: npm run bench:match:scale, small: it registers the generated patients in PostgreSQL,
// times patientMatch, deduplicates the registry, grades it against the truth and drops its schema.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../support/databases.ts';

describe('npm run bench:match:scale', () => {
  it('prints latency, the deduplication by grade and its quality, and leaves no schema behind', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/match-scale.ts'], {
      env: { ...process.env, MATCH_SCALE_RECORDS: '2000', MATCH_SCALE_PROBES: '100', MATCH_SCALE_DATABASE_URL: postgresUrl, MPI_DEDUPE_BATCH: '500' },
    });
    expect(stdout).toMatch(/loaded: 2,000 patients, [\d,]+ match keys in [\d.]+ s/);
    const [, p50, p99] = /patientMatch .*: p50 ([\d.]+) ms, p99 ([\d.]+) ms, .* over 100 queries/.exec(stdout) ?? [];
    expect(Number(p50)).toBeGreaterThan(0);
    expect(Number(p99)).toBeGreaterThanOrEqual(Number(p50));
    expect(stdout).toMatch(/mpi:dedupe: 2,000 patients in [\d.]+ s/);
    const [, certain, probable] = /pairs: certain ([\d,]+), probable ([\d,]+)/.exec(stdout) ?? [];
    expect(Number(certain!.replace(/,/g, '')) + Number(probable!.replace(/,/g, ''))).toBeGreaterThan(100);
    const [, precision, recall] = /certain or probable precision ([\d.]+), recall ([\d.]+)/.exec(stdout) ?? [];
    expect(Number(precision)).toBeGreaterThanOrEqual(0.99);
    expect(Number(recall)).toBeGreaterThanOrEqual(0.8);

    const [, schema] = /schema (bench_match_scale_[0-9a-f]+)/.exec(stdout) ?? [];
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  }, 60_000);
});
