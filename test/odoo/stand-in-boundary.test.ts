import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

/** Every module a file imports, resolved against the repository's root. */
const importsOf = (file: string) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)]
    .map((match) => match[1] ?? '')
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(root, join(root, file, '..', specifier)));

describe('the bundled Odoo stand-in stays a room of its own', () => {
  it('is imported by nothing in subgraphs/: odoo-finance gets a client, and only the launcher starts the stand-in', () => {
    const crossings = sourceFiles('subgraphs').flatMap((file) => importsOf(file).filter((target) => target.startsWith('stand-ins/')).map((target) => `${file} -> ${target}`));
    expect(crossings).toEqual([]);
  });

  it('imports nothing of the graph: it is an Odoo, not a client of ours', () => {
    const crossings = sourceFiles('stand-ins').flatMap((file) =>
      importsOf(file).filter((target) => /^(subgraphs|gateway|workflows)\//.test(target)).map((target) => `${file} -> ${target}`),
    );
    expect(crossings).toEqual([]);
  });
});
