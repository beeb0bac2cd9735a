/** One sample of Prometheus' text format, by name and labels (those given must match; others may be there). */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** Every label value in the text: what a test checks for data that must never be there. */
export const labelValues = (text: string): string[] =>
  [...text.matchAll(/\w+="((?:[^"\\]|\\.)*)"/g)].map(([, value]) => value!);

export async function scrape(serviceUrl: string): Promise<string> {
  const response = await fetch(new URL('/metrics', serviceUrl));
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}
