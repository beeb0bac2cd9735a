/** One sample of Prometheus' text format, by name and labels (those given must match; others may be there). */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const sample = parsed(line);
    if (sample?.name === name && matches(sample.labels, labels)) return sample.value;
  }
  return undefined;
}

function parsed(line: string): { name: string; labels: Record<string, string>; value: number } | undefined {
  const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
  if (!match) return undefined;
  const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key!, value!]));
  return { name: match[1]!, labels, value: Number(match[3]) };
}

const matches = (found: Record<string, string>, wanted: Record<string, string>) => Object.entries(wanted).every(([key, value]) => found[key] === value);

/** The sum of every sample of `name` whose labels include those given (0 when none): a counter over the labels not named. */
export function sampleTotal(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const sample = parsed(line);
    if (sample?.name === name && matches(sample.labels, labels)) total += sample.value;
  }
  return total;
}

/**
 * How much a counter grew between two scrapes: the registry is the process's, so a total also holds what
 * ran before in the same process (another file's system); the change is what the workload did.
 */
export const increase = (before: string, after: string, name: string, labels: Record<string, string> = {}): number =>
  sampleTotal(after, name, labels) - sampleTotal(before, name, labels);

/** Every label value in the text: what a test checks for data that must never be there. */
export const labelValues = (text: string): string[] =>
  [...text.matchAll(/\w+="((?:[^"\\]|\\.)*)"/g)].map(([, value]) => value!);

export async function scrape(serviceUrl: string): Promise<string> {
  const response = await fetch(new URL('/metrics', serviceUrl));
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}
