import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmePath } from '../../scripts/configuration-docs.ts';
import { withReasonsTable } from '../../scripts/errors-docs.ts';

describe('one registry of error reasons', () => {
  it('is what the README says: its table of reasons is generated from the registry (npm run docs:errors)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(withReasonsTable(readme).split('\n')).toEqual(readme.split('\n'));
  });
});
