import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { supergraphPath } from '../../schema/catalog.ts';
import { composeSupergraph } from '../../schema/composition.ts';

describe('the committed supergraph', () => {
  it('composes from the subgraph SDLs without errors and is up to date (run `npm run compose`)', () => {
    expect(readFileSync(supergraphPath, 'utf8')).toBe(composeSupergraph());
  });
});
