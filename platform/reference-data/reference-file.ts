import { readCsv } from './csv-file.ts';
import { readNdjson } from './fhir-ndjson.ts';
import type { ReferenceFile } from './rows.ts';

export type ReferenceFormat = 'csv' | 'ndjson';

/** The format a file's name says: `.csv`, or `.ndjson` / `.jsonl` for FHIR NDJSON. */
export function formatOfFile(path: string): ReferenceFormat {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(path)) return 'ndjson';
  throw new Error('name a .csv or .ndjson file');
}

export const readReferenceFile = (text: string, format: ReferenceFormat): ReferenceFile => (format === 'csv' ? readCsv(text) : readNdjson(text));
