import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerify } from '../support/audit-verify.ts';
import { databaseEngines, dropSchemas, postgresUrl, uniqueName } from '../support/databases.ts';
import { accessRecord, openAuditTrail, tamper, type AuditTrail } from './trail.ts';

describe.each(databaseEngines)('npm run audit:verify on $engine', ({ url }) => {
  const schema = uniqueName('audit');
  let dataDir: string;
  let env: Record<string, string>;
  // PGlite lets one process at a time open its files, so the trail is closed while the script runs.
  const withTrail = async (work: (trail: AuditTrail) => Promise<unknown>) => {
    const trail = await openAuditTrail({ url, pgliteDataDir: url ? undefined : join(dataDir, schema) }, schema);
    try {
      await work(trail);
    } finally {
      await trail.db.close();
    }
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'audit-verify-'));
    env = url ? { DATABASE_URL: url, AUDIT_SCHEMA: schema } : { PGLITE_DATA_DIR: dataDir, AUDIT_SCHEMA: schema };
    await withTrail((trail) => trail.store.append(Array.from({ length: 4 }, () => accessRecord())));
  });
  afterAll(async () => {
    await dropSchemas(url, schema);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says the trail is intact and exits 0', async () => {
    expect(await auditVerify(env)).toEqual({ code: 0, output: 'audit trail intact: 4 rows (no anchor found: a cut tail cannot be told)\n' });
  });

  it('names the edited row and exits 1', async () => {
    await withTrail((trail) => tamper(trail.db, `UPDATE audit_event SET outcome = 'denied' WHERE seq = 2`));
    expect(await auditVerify(env)).toEqual({ code: 1, output: 'audit trail broken at seq 2: hash mismatch\n' });
  });
});

it('npm run audit:verify exits 2 when there is no trail to check', async () => {
  const missing = uniqueName('missing');
  try {
    expect(await auditVerify({ DATABASE_URL: postgresUrl, AUDIT_SCHEMA: missing })).toMatchObject({ code: 2 });
    // With the defaults, it says where a trail would be rather than failing on an empty in-memory database.
    expect(await auditVerify({})).toMatchObject({ code: 2, output: expect.stringContaining('no trail to check: set DATABASE_URL') });
  } finally {
    await dropSchemas(postgresUrl, missing);
  }
});
