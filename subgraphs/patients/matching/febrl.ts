import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setting } from '../../../platform/config.ts';
import { matchRecord, type MatchRecord } from './record.ts';

/**
 * The FEBRL benchmark sets (../shared/data/febrl): one record a line, values after ", ".
 * The truth is in rec_id: rec-<n>-org and rec-<n>-dup-<k> are one person. The matcher never
 * sees it: `entityOf` is for grading only.
 */
export function readFebrl(path: string): MatchRecord[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const columns = header!.split(',').map((column) => column.trim());
  return lines.map((line) => {
    const values = line.split(',').map((value) => value.trim());
    const row = Object.fromEntries(columns.map((column, index) => [column, values[index] ?? '']));
    const dob = row.date_of_birth ?? '';
    return matchRecord({
      id: row.rec_id!,
      given: row.given_name || null,
      family: row.surname || null,
      birthDate: /^\d{8}$/.test(dob) ? `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6, 8)}` : null,
      identifier: row.soc_sec_id || null,
      addressLine: [row.street_number, row.address_1, row.address_2].filter(Boolean).join(' ') || null,
      city: row.suburb || null,
      postcode: row.postcode || null,
      state: row.state || null,
    });
  });
}

/** The person a FEBRL record stands for, from its rec_id. */
export const febrlEntity = (id: string) => id.split('-')[1]!;

/**
 * Where the FEBRL files are: MATCH_FEBRL_DIR, else shared/data/febrl in the nearest folder above
 * the repository that has one (the repository's ../shared, a worktree's ../../shared).
 */
export function febrlDirectory(): string | undefined {
  const configured = setting('MATCH_FEBRL_DIR');
  if (configured) return configured;
  let folder = join(import.meta.dirname, '..', '..', '..');
  for (let up = 0; up < 3; up++) {
    folder = dirname(folder);
    const candidate = join(folder, 'shared', 'data', 'febrl');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
