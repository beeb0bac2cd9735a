import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../platform/database/pglite.ts';

describe('PGlite kept on disk (PGLITE_DATA_DIR)', () => {
  const root = mkdtempSync(join(tmpdir(), 'pglite-root-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('opens under a root folder that does not exist yet, and finds its rows there again', async () => {
    const dataDir = join(root, 'not-made-yet', 'appointments');
    const first = await openPglite('appointments', dataDir);
    await first.exec('CREATE TABLE practitioner (id text PRIMARY KEY)');
    await first.query('INSERT INTO practitioner VALUES ($1)', ['prac-01']);
    await first.close();
    const again = await openPglite('appointments', dataDir);
    expect(await again.query('SELECT id FROM practitioner')).toEqual([{ id: 'prac-01' }]);
    await again.close();
  });
});
