import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../platform/database/open.ts';
import { dropSchemas, postgresUrl, uniqueName } from '../support/databases.ts';

// Gateway workers (GATEWAY_WORKERS) start together and each opens the same audit schema: PostgreSQL's
// CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent one, and the loser failed to start.
describe('several processes opening one new schema at once', () => {
  it('all open it', async () => {
    const schemas = Array.from({ length: 5 }, () => uniqueName('race'));
    onTestFinished(() => dropSchemas(postgresUrl, ...schemas));
    for (const schema of schemas) {
      const opened = await Promise.allSettled(Array.from({ length: 8 }, () => openDatabase({ url: postgresUrl, schema })));
      for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
      expect(opened.map((result) => (result.status === 'fulfilled' ? 'opened' : String(result.reason)))).toEqual(Array(8).fill('opened'));
    }
  });
});
