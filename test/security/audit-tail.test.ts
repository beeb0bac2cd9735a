// Issue 11, finding 7: the chain's tail could be cut unseen. Deleting the last rows and moving
// audit_chain_head back left `npm run audit:verify` saying intact: the head row could be updated
// freely. The trail here is written the real way (through the gateway, by its audit writer, the
// system then shut down as an operator would), so whatever anchors the head is produced the real way.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditVerify } from '../support/audit-verify.ts';
import { dropSchemas, postgresUrl, uniqueName } from '../support/databases.ts';
import { pick, startSeededSystem, type SeededSystem } from './harness.ts';

const TABLES = ['audit_event', 'audit_chain_head'];

describe('finding 7: npm run audit:verify detects every cut of the trail the gateway wrote', () => {
  let seeded: SeededSystem;
  let dataDir: string;
  let schema: string;
  const snapshot = uniqueName('audit_snapshot');
  let owner: pg.Client;
  let lastSeq: number;

  /** The table owner's edits: their own triggers disabled for the edit (ALTER TABLE needs no more than ownership). */
  async function asOwner(...statements: string[]): Promise<void> {
    await owner.query('BEGIN');
    try {
      for (const table of TABLES) await owner.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      for (const sql of statements) await owner.query(sql);
      for (const table of TABLES) await owner.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      await owner.query('COMMIT');
    } catch (error) {
      await owner.query('ROLLBACK');
      throw error;
    }
  }

  const verify = () => auditVerify({ DATABASE_URL: postgresUrl, AUDIT_SCHEMA: schema, DATA_DIR: dataDir });
  const expectBrokenAt = async (seq: number) => {
    const { code, output } = await verify();
    expect({ code, output }).toEqual({ code: 1, output: expect.stringMatching(new RegExp(`\\bseq ${seq}\\b`)) });
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'audit-tail-'));
    seeded = await startSeededSystem({ databaseUrl: postgresUrl, dataDir });
    const frontDesk = await seeded.as({ role: 'front_desk' });
    for (const id of await pick<string>(seeded.db.patients, 'SELECT id FROM patient ORDER BY id', [], 8)) {
      const answer = await frontDesk('query($id: ID!) { patient(id: $id) { name { text } birthDate } }', { id });
      expect(answer.errors).toBeUndefined();
    }
    schema = seeded.db.audit.schema;
    await seeded.stop();

    owner = new pg.Client({ connectionString: postgresUrl });
    await owner.connect();
    await owner.query(`SET search_path = ${schema}`);
    await owner.query(`CREATE SCHEMA ${snapshot}`);
    for (const table of TABLES) await owner.query(`CREATE TABLE ${snapshot}.${table} AS SELECT * FROM ${table}`);
    [{ lastSeq }] = (await owner.query<{ lastSeq: number }>('SELECT max(seq)::int AS "lastSeq" FROM audit_event')).rows as [{ lastSeq: number }];
    expect(lastSeq).toBeGreaterThanOrEqual(8);
  });

  // Every scenario starts from the trail as the gateway left it.
  afterEach(() => asOwner(...TABLES.flatMap((table) => [`DELETE FROM ${table}`, `INSERT INTO ${table} SELECT * FROM ${snapshot}.${table}`])));

  afterAll(async () => {
    await owner?.end();
    await dropSchemas(postgresUrl, snapshot);
    await seeded?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('says the trail the gateway wrote is intact', async () => {
    expect(await verify()).toMatchObject({ code: 0, output: expect.stringContaining('intact') });
  });

  it('names an edited row', async () => {
    await asOwner(`UPDATE audit_event SET subject = 'someone-else' WHERE seq = 3`);
    await expectBrokenAt(3);
  });

  it('names a deleted row in the middle', async () => {
    await asOwner('DELETE FROM audit_event WHERE seq = 4');
    await expectBrokenAt(4);
  });

  it('names the first of the rows deleted from the tail', async () => {
    await asOwner(`DELETE FROM audit_event WHERE seq > ${lastSeq - 2}`);
    await expectBrokenAt(lastSeq - 1);
  });

  it('names the first of the rows deleted from the tail when the head was moved back to hide it', async () => {
    const kept = lastSeq - 2;
    await asOwner(
      `DELETE FROM audit_event WHERE seq > ${kept}`,
      `UPDATE audit_chain_head SET last_seq = ${kept}, last_hash = (SELECT hash FROM audit_event WHERE seq = ${kept})`,
    );
    await expectBrokenAt(kept + 1);
  });
});
