// `npm run docs:errors`: writes the README's table of error reasons from their registry in
// platform/errors.ts, the one place reasons are typed. A test fails when the README differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { reasons } from '../platform/errors.ts';
import { readmePath } from './configuration-docs.ts';

const [begin, end] = ['<!-- reasons (npm run docs:errors) -->', '<!-- /reasons -->'];

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The markdown table of every reason, by code, in the order they are registered. */
export function reasonsTable(): string {
  const rows = Object.entries(reasons).flatMap(([code, byReason]) =>
    Object.entries(byReason).map(([reason, advice]) => `| \`${code}\` | \`${reason}\` | ${cell(advice)} |`),
  );
  return ['| code | `extensions.reason` | what to do |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The README with its table of reasons written afresh between the markers. */
export function withReasonsTable(readme: string): string {
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${begin} … ${end} block`);
  return `${readme.slice(0, from + begin.length)}\n${reasonsTable()}\n${readme.slice(to)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const readme = readFileSync(readmePath, 'utf8');
  const updated = withReasonsTable(readme);
  if (updated !== readme) writeFileSync(readmePath, updated);
  console.log(updated === readme ? 'README.md table of reasons is up to date' : 'README.md table of reasons written');
}
