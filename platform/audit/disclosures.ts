/**
 * What a subgraph tells the gateway about one call: the patients whose rows it released, and
 * those whose rows a row rule kept from the caller. It travels in the response's `extensions`
 * under this key; the gateway takes it out, so callers never see it, and records it (audit by
 * data: whatever field released a patient's rows, the record names the patient).
 */
export const DISCLOSURES_EXTENSION = 'disclosures';

/** An operational action a request took (a replay, a retry, an endpoint enabled): what, to which id. */
export interface OperationalAction {
  /** The mutation that took it, such as replayOdooFinanceDeadLetters. */
  action: string;
  /** What it acted on: a consumer group, an invoice, an endpoint, a delivery, a run. */
  target: string;
}

/**
 * The patients whose rows one request was given, those whose rows a row rule kept from it, and the
 * operational actions it took: all of it goes on record.
 */
export class Disclosures {
  readonly released = new Set<string>();
  readonly refused = new Set<string>();
  readonly actions: OperationalAction[] = [];

  /** What a subgraph reported for one of the request's calls. */
  add(report: DisclosureReport): void {
    for (const patientId of report.released) this.released.add(patientId);
    for (const patientId of report.refused) this.refused.add(patientId);
    this.actions.push(...(report.actions ?? []));
  }

  get empty(): boolean {
    return this.released.size === 0 && this.refused.size === 0 && this.actions.length === 0;
  }

  report(): DisclosureReport {
    return { released: [...this.released], refused: [...this.refused], ...(this.actions.length > 0 && { actions: [...this.actions] }) };
  }
}

export interface DisclosureReport {
  released: string[];
  refused: string[];
  actions?: OperationalAction[];
}

const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.every((id) => typeof id === 'string');

const isActionList = (value: unknown): value is OperationalAction[] =>
  Array.isArray(value) && value.every((entry) => typeof entry?.action === 'string' && typeof entry?.target === 'string');

/** The report in a subgraph response's extensions, or undefined; a malformed one is an error, never ignored. */
export function disclosureReportIn(extensions: Record<string, unknown> | undefined): DisclosureReport | undefined {
  const report = extensions?.[DISCLOSURES_EXTENSION] as Partial<DisclosureReport> | undefined;
  if (report === undefined) return undefined;
  if (!isIdList(report.released) || !isIdList(report.refused) || (report.actions !== undefined && !isActionList(report.actions))) {
    throw new TypeError('A subgraph sent a malformed disclosure report');
  }
  return { released: report.released, refused: report.refused, ...(report.actions && { actions: report.actions }) };
}
