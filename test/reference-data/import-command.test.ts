import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/database/open.ts';
import { dropSchemas, postgresUrl, uniqueName } from '../support/databases.ts';

const run = promisify(execFile);
const projectRoot = new URL('../../', import.meta.url);

const CSV = [
  'resourceType,id,family,given,specialty,name,city,practitioner,location,serviceType,slotMinutes,availableTime,code,description,amount,identifier',
  'Location,loc-north,,,,North Clinic,Leeds,,,,,,,,,',
  'Practitioner,prac-ng,Ng,Mei Lin,Dermatology,,,,,,,,,,,',
  'Schedule,sched-ng,,,,,,prac-ng,loc-north,dermatology,20,mon-fri 08:00-12:00,,,,',
  'Schedule,sched-nobody,,,,,,prac-nobody,loc-north,dermatology,20,mon 08:00-12:00,,,,',
  'Organization,pay-north,,,,Northern Health Plan,,,,,,,,,,NHP-001',
  'Organization,pay-north-2,,,,"Northern Health Plan, Inc.",,,,,,,,,,',
].join('\n');

/** `npm run refdata:import -- <file>` as an operator runs it, on this test's own schemas. */
async function importCommand(file: string, schemas: { appointments: string; billing: string }): Promise<{ code: number; output: string }> {
  const env = { ...process.env, DATABASE_URL: postgresUrl, APPOINTMENTS_SCHEMA: schemas.appointments, BILLING_SCHEMA: schemas.billing };
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/refdata-import.ts', file], { cwd: projectRoot, env, timeout: 110_000 });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

// A child process starts the import graph under tsx: on a loaded machine that alone takes many seconds.
describe('npm run refdata:import', { timeout: 240_000 }, () => {
  const schemas = { appointments: uniqueName('refcmd_appointments'), billing: uniqueName('refcmd_billing') };
  const folder = mkdtempSync(join(tmpdir(), 'refdata-'));
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await dropSchemas(postgresUrl, schemas.appointments, schemas.billing);
  });

  it('writes the good rows, lists the rejected ones by line with their codes, and exits 1; run again, it doubles nothing', async () => {
    const file = join(folder, 'organisation.csv');
    writeFileSync(file, CSV);
    const first = await importCommand(file, schemas);
    expect(first.code).toBe(1);
    expect(first.output.trim().split('\n')).toEqual([
      'line 5\tSchedule\tsched-nobody\tBAD_USER_INPUT\tUNKNOWN_REFERENCE\tpractitionerId\tpractitionerId prac-nobody names no practitioner',
      'line 7\tOrganization\tpay-north-2\tCONFLICT\tDUPLICATE_PAYER\tid\tPayer pay-north-2 duplicates payer pay-north (same name or identifier)',
      '4 accepted, 2 rejected',
    ]);
    const appointments = await openDatabase({ url: postgresUrl, schema: schemas.appointments });
    try {
      const slots = async () => (await appointments.query<{ n: number }>('SELECT count(*)::int AS n FROM slot WHERE schedule_id = $1', ['sched-ng']))[0]!.n;
      const before = await slots();
      expect(before).toBeGreaterThan(0);
      expect(await importCommand(file, schemas)).toEqual(first);
      expect(await slots()).toBe(before);
    } finally {
      await appointments.close();
    }
  });

  it('exits 0 when every row is accepted, and 2 when it cannot read the file', async () => {
    const good = join(folder, 'payers.ndjson');
    writeFileSync(good, `${JSON.stringify({ resourceType: 'Organization', id: 'pay-south', name: 'Southern Mutual' })}\n`);
    expect(await importCommand(good, schemas)).toEqual({ code: 0, output: '1 accepted, 0 rejected\n' });
    const missing = await importCommand(join(folder, 'absent.csv'), schemas);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/^could not import: /);
  });
});
