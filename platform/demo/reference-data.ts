import { readFileSync } from 'node:fs';
import { readReferenceFile } from '../reference-data/reference-file.ts';
import type { ReferenceFile } from '../reference-data/rows.ts';

/**
 * The demo organisation's reference data (invented names): its practitioners, locations and weekly
 * schedules, fee schedule and payers, as FHIR NDJSON. The demo seed loads it through the same import
 * as `npm run refdata:import`.
 */
export const demoReferenceDataPath = new URL('./reference-data.ndjson', import.meta.url);

export const demoReferenceData = (): ReferenceFile => readReferenceFile(readFileSync(demoReferenceDataPath, 'utf8'), 'ndjson');
