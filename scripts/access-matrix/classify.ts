/**
 * What a caller got of one field, compared with the record itself: `✓` as stored, `✗` refused
 * (null with FORBIDDEN at its path), `withheld` (null without an error: minimized away), or the
 * minimizations applied to its values (`year`, `initials`, `last 4`, `masked`, `3-digit prefix`).
 */
export function classify(value: unknown, truth: unknown, forbidden: boolean): string {
  if (forbidden) return '✗';
  if (JSON.stringify(value) === JSON.stringify(truth)) return '✓';
  if (value === null || value === undefined) return 'withheld';
  const transforms = new Set<string>();
  leafPairs(value, truth, (got, stored) => {
    if (got !== stored) transforms.add(transformOf(got, stored));
  });
  return [...transforms].sort().join(', ');
}

function leafPairs(value: unknown, truth: unknown, visit: (value: unknown, truth: unknown) => void): void {
  if (value !== null && typeof value === 'object' && truth !== null && typeof truth === 'object') {
    for (const key of Object.keys(truth)) leafPairs((value as Record<string, unknown>)[key], (truth as Record<string, unknown>)[key], visit);
  } else visit(value, truth);
}

function transformOf(got: unknown, stored: unknown): string {
  if (got === null) return 'null';
  if (got === '***') return 'masked';
  const text = String(got);
  const original = String(stored);
  if (/^\d{4}$/.test(text) && original.startsWith(text)) return 'year';
  if (/^[A-Z]\.( [A-Z]\.)*$/.test(text)) return 'initials';
  if (text.startsWith('***') && original.endsWith(text.slice(-4))) return 'last 4';
  if (text.length === 3 && original.startsWith(text)) return '3-digit prefix';
  return 'changed';
}
