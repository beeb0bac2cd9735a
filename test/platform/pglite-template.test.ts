import { describe, expect, it } from 'vitest';
import { openPglite } from '../../platform/database/pglite.ts';

describe('an in-memory PGlite (every subgraph under npm start, every test system)', () => {
  it('starts from a cluster of 1 MB WAL segments and keeps writing across many of them', async () => {
    const db = await openPglite('template_probe');
    try {
      // 16 MB segments made every start copy a 16 MB file of zeros: a third of its start.
      expect(await db.query('SHOW wal_segment_size')).toEqual([{ wal_segment_size: '1MB' }]);
      await db.exec('CREATE TABLE note (n int, body text)');
      // About 8 MB of WAL: several segment switches and a checkpoint's recycling.
      for (let round = 0; round < 8; round++) {
        await db.query(`INSERT INTO note SELECT g, repeat('x', 1000) FROM generate_series($1::int, $1::int + 999) AS g`, [round * 1000]);
      }
      await db.exec('CHECKPOINT');
      expect(await db.query('SELECT count(*)::int AS notes, count(DISTINCT n)::int AS distinct_notes FROM note')).toEqual([{ notes: 8000, distinct_notes: 8000 }]);
    } finally {
      await db.close();
    }
  });
});
