import { setting } from '../../platform/config.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Minutes of full load on every core: only when asked for (`BENCH_SMOKE=1 npx vitest run test/bench`),
// never inside the ordinary `npm test`.
describe.runIf(setting('BENCH_SMOKE'))('npm run bench:smoke', () => {
  it('prints a table per workload with throughput for every target and identical responses', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
      env: { ...process.env, BENCH_SMOKE: '1' },
      maxBuffer: 10_000_000,
    });
    const tables = stdout.split('\n## ').slice(1);
    expect(tables.map((table) => table.slice(0, 3))).toEqual(['(a)', '(b)', '(c)']);
    for (const table of tables) {
      const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| target') && !line.startsWith('| ---'));
      expect(rows.length).toBeGreaterThanOrEqual(4);
      for (const row of rows) {
        const cells = row.split(' | ');
        expect(Number.parseFloat(cells[1]!), row).toBeGreaterThan(0);
        expect(cells.at(-1), row).toBe('identical |');
      }
    }
  }, 900_000);
});
