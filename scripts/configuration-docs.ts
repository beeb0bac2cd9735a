// `npm run docs:configuration`: writes the README's tables of settings from their declarations in
// platform/config.ts, the one place settings are typed. A test fails when the README differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { declarations, settingFamilies, type SettingGroup } from '../platform/config.ts';

export const readmePath = new URL('../README.md', import.meta.url);

const markers = (group: SettingGroup) => [`<!-- settings:${group} (npm run docs:configuration) -->`, `<!-- /settings:${group} -->`] as const;

const code = (value: string) => `\`${value}\``;
const cell = (text: string) => text.replaceAll('|', '\\|');

function shownDefault(fallback: unknown, defaultDoc: string | undefined): string {
  if (defaultDoc) return defaultDoc;
  if (fallback === undefined) return 'none';
  return code(Array.isArray(fallback) ? fallback.join(',') : String(fallback));
}

function shownType(type: string): string {
  return type.includes(' | ') ? type.split(' | ').map(code).join(', ') : type;
}

/** The markdown table of one group's settings, in the order they are declared. */
export function settingsTable(group: SettingGroup): string {
  const rows = [...declarations(), ...settingFamilies.map((family) => ({ ...family, fallback: undefined }))]
    .filter((setting) => setting.group === group)
    .map(({ name, type, readers, fallback, defaultDoc, doc }) =>
      `| ${code(name)} | ${cell(shownType(type))} | ${cell(readers.join(', '))} | ${cell(shownDefault(fallback, defaultDoc))} | ${cell(doc)} |`,
    );
  return ['| setting | type | read by | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The README with every group's table between its markers written afresh. */
export function withSettingsTables(readme: string): string {
  let text = readme;
  for (const group of ['service', 'tests'] as const) {
    const [begin, end] = markers(group);
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${begin} … ${end} block`);
    text = `${text.slice(0, from + begin.length)}\n${settingsTable(group)}\n${text.slice(to)}`;
  }
  return text;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const readme = readFileSync(readmePath, 'utf8');
  const updated = withSettingsTables(readme);
  if (updated !== readme) writeFileSync(readmePath, updated);
  console.log(updated === readme ? 'README.md settings tables are up to date' : 'README.md settings tables written');
}
