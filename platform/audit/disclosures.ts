/**
 * What a subgraph tells the gateway about one call: the patients whose rows it released, and
 * those whose rows a row rule kept from the caller. It travels in the response's `extensions`
 * under this key; the gateway takes it out, so callers never see it, and records it (audit by
 * data: whatever field released a patient's rows, the record names the patient).
 */
export const DISCLOSURES_EXTENSION = 'disclosures';

/** The patients whose rows one request was given, and those whose rows a row rule kept from it. */
export class Disclosures {
  readonly released = new Set<string>();
  readonly refused = new Set<string>();

  /** What a subgraph reported for one of the request's calls. */
  add(report: DisclosureReport): void {
    for (const patientId of report.released) this.released.add(patientId);
    for (const patientId of report.refused) this.refused.add(patientId);
  }

  get empty(): boolean {
    return this.released.size === 0 && this.refused.size === 0;
  }

  report(): DisclosureReport {
    return { released: [...this.released], refused: [...this.refused] };
  }
}

export interface DisclosureReport {
  released: string[];
  refused: string[];
}

const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.every((id) => typeof id === 'string');

/** The report in a subgraph response's extensions, or undefined; a malformed one is an error, never ignored. */
export function disclosureReportIn(extensions: Record<string, unknown> | undefined): DisclosureReport | undefined {
  const report = extensions?.[DISCLOSURES_EXTENSION] as Partial<DisclosureReport> | undefined;
  if (report === undefined) return undefined;
  if (!isIdList(report.released) || !isIdList(report.refused)) throw new TypeError('A subgraph sent a malformed disclosure report');
  return { released: report.released, refused: report.refused };
}
