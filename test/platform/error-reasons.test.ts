import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../platform/errors.ts';
import { readmePath } from '../../scripts/configuration-docs.ts';
import { withReasonsTable } from '../../scripts/errors-docs.ts';

describe('one registry of error codes and reasons', () => {
  it('has every code in the README\'s table of errors, and nothing there that is not a code', () => {
    const readme = readFileSync(readmePath, 'utf8');
    const errorsSection = readme.slice(readme.indexOf('### Errors'), readme.indexOf('#### Reasons'));
    const tableRows = errorsSection.split('\n').filter((line) => /^\| `/.test(line));
    const documented = tableRows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]));
    expect([...documented].sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it('is what the README says: its table of reasons is generated from the registry (npm run docs:errors)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(withReasonsTable(readme).split('\n')).toEqual(readme.split('\n'));
  });
});
