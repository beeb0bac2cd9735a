import { parse } from 'csv-parse/sync';
import { parseAvailableTime } from './available-time.ts';
import { isReferenceType, malformed, rejectionOf, unknownType, type ReferenceFile, type ReferenceRow, type ReferenceType } from './rows.ts';

type Cells = Record<string, string | undefined>;

const blankless = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
/** A whole number stays text when it is not one, for the checks to name the field. */
const numberOf = (value: string | undefined) => (value !== undefined && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : blankless(value));

/** Each type's columns, read into its admin mutation's input. */
const inputOf: Record<ReferenceType, (cells: Cells) => Record<string, unknown>> = {
  Practitioner: (cells) => ({ id: cells.id, family: cells.family, given: (cells.given ?? '').split(/\s+/).filter(Boolean), specialty: cells.specialty }),
  Location: (cells) => ({ id: cells.id, name: cells.name, city: cells.city }),
  Schedule: (cells) => ({
    id: cells.id,
    practitionerId: cells.practitioner,
    locationId: cells.location,
    serviceType: cells.serviceType,
    slotMinutes: numberOf(cells.slotMinutes),
    availableTime: parseAvailableTime(cells.availableTime ?? ''),
    planningHorizon: cells.horizonStart || cells.horizonEnd ? { start: cells.horizonStart, end: cells.horizonEnd } : null,
  }),
  ChargeItemDefinition: (cells) => ({ code: cells.code, description: cells.description, amount: numberOf(cells.amount) }),
  Organization: (cells) => ({ id: cells.id, name: cells.name, identifier: blankless(cells.identifier) ?? null }),
};

/**
 * A CSV file with a header line; the `resourceType` column says what each row is, and the other
 * columns are read by the type that uses them (README, "Reference data"). A record the parser
 * cannot read (an unclosed quote) is rejected and the rest still read.
 */
export function readCsv(text: string): ReferenceFile {
  const rows: ReferenceRow[] = [];
  const rejected: ReferenceFile['rejected'] = [];
  const records = parse(text, {
    columns: (header: string[]) => header.map((name) => name.trim()),
    info: true,
    trim: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      rejected.push(rejectionOf(typeof error?.lines === 'number' ? error.lines : 0, null, null, malformed('the line is not a CSV record')));
      return undefined;
    },
  }) as Array<{ record: Cells; info: { lines: number } }>;
  for (const { record, info } of records) {
    const line = info.lines;
    const resourceType = record.resourceType;
    try {
      if (!isReferenceType(resourceType)) throw unknownType();
      rows.push({ line, resourceType, input: inputOf[resourceType](record) });
    } catch (error) {
      rejected.push(rejectionOf(line, resourceType ?? null, record.id ?? record.code, error));
    }
  }
  return { rows, rejected };
}

