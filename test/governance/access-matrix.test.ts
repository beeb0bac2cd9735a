import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSystem } from '../../launcher.ts';
import { startTestSystem } from '../support/test-system.ts';
import { accessMatrix, markdownTable } from '../../scripts/access-matrix/matrix.ts';

/** The table between the README's access-matrix markers. */
function readmeMatrix(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const match = /<!-- access-matrix:start -->\n([\s\S]*?)\n<!-- access-matrix:end -->/.exec(readme);
  if (!match) throw new Error('README.md has no access-matrix block');
  return match[1]!.trim();
}

describe('what each role sees of Patient, Appointment, Claim and Invoice', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: true });
  });
  afterAll(() => system?.close());

  it('is what the README table says, field by field (regenerate with `npm run -s docs:access-matrix`)', async () => {
    const measured = markdownTable(await accessMatrix(system));
    expect(measured.split('\n')).toEqual(readmeMatrix().split('\n'));
  });
});
