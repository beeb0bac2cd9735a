import { CsvError, parse } from 'csv-parse/sync';
import { parseAvailableTime } from './available-time.ts';
import { isReferenceType, malformed, rejectionOf, unknownType, type ReferenceFile, type ReferenceRow, type ReferenceType } from './rows.ts';

type Cells = Record<string, string | undefined>;

const blankless = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
/** A number written as one becomes a number; anything else stays text, for the checks to name the field. */
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

/** One line's cells, by CSV's quoting rules (csv-parse); throws on a line that is not one record. */
function cellsOf(line: string): string[] {
  let records: string[][];
  try {
    records = parse(line, { trim: true, relax_column_count: true }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) throw malformed('the line is not a CSV record (an unclosed quote?)');
    throw error;
  }
  if (records.length !== 1) throw malformed('the line is not one CSV record');
  return records[0]!;
}

/**
 * A CSV file with a header line; the `resourceType` column says what each row is, and the other
 * columns are read by the type that uses them (README, "Reference data"). One record a line
 * (reference data needs no line breaks inside a value), so a line that cannot be read is rejected
 * alone, by its number, and the lines after it are still read.
 */
export function readCsv(text: string): ReferenceFile {
  const rows: ReferenceRow[] = [];
  const rejected: ReferenceFile['rejected'] = [];
  const [headerLine = '', ...lines] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: string[];
  try {
    header = cellsOf(headerLine);
    if (!header.includes('resourceType')) throw malformed('the header line names no resourceType column');
  } catch (error) {
    return { rows, rejected: [rejectionOf(1, null, null, error)] };
  }
  lines.forEach((content, index) => {
    const line = index + 2;
    if (content.trim() === '') return;
    let cells: Cells = {};
    try {
      const values = cellsOf(content);
      cells = Object.fromEntries(header.map((name, column) => [name, values[column]]));
      const { resourceType } = cells;
      if (!isReferenceType(resourceType)) throw unknownType();
      rows.push({ line, resourceType, input: inputOf[resourceType](cells) });
    } catch (error) {
      rejected.push(rejectionOf(line, cells.resourceType ?? null, cells.id ?? cells.code, error));
    }
  });
  return { rows, rejected };
}
