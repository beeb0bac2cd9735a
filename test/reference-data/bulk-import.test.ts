import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { demoReferenceData } from '../../platform/demo/reference-data.ts';
import { readReferenceFile } from '../../platform/reference-data/reference-file.ts';
import { mergeReports, type ImportReport } from '../../platform/reference-data/rows.ts';
import { importSchedulingData } from '../../subgraphs/appointments/reference-import.ts';
import { importBillingReferenceData } from '../../subgraphs/billing/reference-import.ts';
import { databaseEngines, dropSchemas, uniqueName } from '../support/databases.ts';

/** A Monday: the demo schedules' four weeks of horizon run from it, 20 weekdays. */
const HORIZON_START = new Date('2027-03-01T00:00:00Z');

async function migrated(url: string | undefined, schema: string, subgraph: string): Promise<Database> {
  const db = await openDatabase({ url, schema });
  await migrate(db, new URL(`../../subgraphs/${subgraph}/migrations/`, import.meta.url));
  return db;
}

describe.each(databaseEngines)('the reference data import on $engine', ({ url }) => {
  const schemas = { appointments: uniqueName('refdata_appointments'), billing: uniqueName('refdata_billing') };
  let appointments: Database;
  let billing: Database;

  const importFile = async (text: string, format: 'csv' | 'ndjson'): Promise<ImportReport> => {
    const file = readReferenceFile(text, format);
    return mergeReports({ accepted: 0, rejected: file.rejected }, await importSchedulingData(appointments, file, HORIZON_START), await importBillingReferenceData(billing, file));
  };
  const counts = async () => {
    const n = async (db: Database, table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
    return {
      practitioners: await n(appointments, 'practitioner'),
      locations: await n(appointments, 'location'),
      schedules: await n(appointments, 'schedule'),
      slots: await n(appointments, 'slot'),
      fees: await n(billing, 'fee_schedule'),
      payers: await n(billing, 'payer'),
    };
  };

  beforeAll(async () => {
    appointments = await migrated(url, schemas.appointments, 'appointments');
    billing = await migrated(url, schemas.billing, 'billing');
  });
  afterAll(async () => {
    await appointments?.close();
    await billing?.close();
    await dropSchemas(url, schemas.appointments, schemas.billing);
  });

  it('loads the demo seed file: every row accepted, each schedule generating its weekday slots', async () => {
    const demo = demoReferenceData();
    const report = mergeReports(await importSchedulingData(appointments, demo, HORIZON_START), await importBillingReferenceData(billing, demo));
    expect(report).toEqual({ accepted: 52, rejected: [] });
    // 20 weekdays, 14 half-hour slots a day (09:00-12:00, 13:00-17:00), 12 practitioners
    expect(await counts()).toEqual({ practitioners: 12, locations: 4, schedules: 12, slots: 20 * 14 * 12, fees: 19, payers: 5 });
    const [slot] = await appointments.query('SELECT * FROM slot WHERE id = $1', ['slot-prac-05-2027-03-02T13:30']);
    expect(slot).toMatchObject({ schedule_id: 'sched-prac-05', practitioner_id: 'prac-05', location_id: 'loc-02', service_type: 'cardiology', status: 'FREE' });
    expect(slot!.ends_at).toEqual(new Date('2027-03-02T14:00:00Z'));
    const [payer] = await billing.query('SELECT * FROM payer WHERE id = $1', ['pay-01']);
    expect(payer).toEqual({ id: 'pay-01', name: 'Cascade Health Insurance', identifier: '61001' });
    const [fee] = await billing.query('SELECT * FROM fee_schedule WHERE code = $1', ['99213']);
    expect(fee).toEqual({ code: '99213', description: 'Office visit, established patient, low complexity', amount_cents: 11000 });
  });

  it('imports the same file again without doubling anything: rows are written by their natural keys', async () => {
    const before = await counts();
    const slotsBefore = await appointments.query('SELECT * FROM slot ORDER BY id');
    const demo = demoReferenceData();
    const report = mergeReports(await importSchedulingData(appointments, demo, HORIZON_START), await importBillingReferenceData(billing, demo));
    expect(report).toEqual({ accepted: 52, rejected: [] });
    expect(await counts()).toEqual(before);
    expect(await appointments.query('SELECT * FROM slot ORDER BY id')).toEqual(slotsBefore);
  });

  it('writes the good rows of a file and reports each bad one by line, with its code, reason and field', async () => {
    const csv = [
      'resourceType,id,family,given,specialty,name,city,practitioner,location,serviceType,slotMinutes,availableTime,code,description,amount,identifier',
      'Location,loc-north,,,,North Clinic,Leeds,,,,,,,,,',
      'Practitioner,prac-ng,Ng,Mei Lin,Dermatology,,,,,,,,,,,',
      'Schedule,sched-ng,,,,,,prac-ng,loc-north,dermatology,20,mon-thu 08:00-12:00; fri 13:00-15:00,,,,',
      'Schedule,sched-nobody,,,,,,prac-nobody,loc-north,dermatology,20,mon 08:00-12:00,,,,',
      'Schedule,sched-short,,,,,,prac-ng,loc-north,dermatology,90,mon 08:00-09:00,,,,',
      'Practitioner,prac-ng,Ng,Mei,Dermatology,,,,,,,,,,,',
      'ChargeItemDefinition,,,,,,,,,,,,11200,Removal of skin tags,95.50,',
      'ChargeItemDefinition,,,,,,,,,,,,11201,Removal of more skin tags,12.345,',
      'Clinic,x,,,,,,,,,,,,,,',
      'Location,loc-unclosed,,,,"North Clinic,Leeds,,,,,,,,,',
      'Location,loc-after,,,,After Clinic,York,,,,,,,,,',
      'Schedule,sched-ng-late,,,,,,prac-ng,loc-after,dermatology,30,tue 11:00-13:00,,,,',
      'Schedule,sched-ng-sat,,,,,,prac-ng,loc-after,dermatology,30,sat 09:00-11:00 10:00-12:00,,,,',
      'Schedule,sched-ng-sun,,,,,,prac-ng,loc-after,dermatology,30,sun 09:00-11:00,,,,',
    ].join('\n');
    const report = await importFile(csv, 'csv');
    expect(report.accepted).toBe(6);
    expect(report.rejected.map(({ line, resourceType, key, code, reason, field }) => ({ line, resourceType, key, code, reason, field }))).toEqual([
      { line: 5, resourceType: 'Schedule', key: 'sched-nobody', code: 'BAD_USER_INPUT', reason: 'UNKNOWN_REFERENCE', field: 'practitionerId' },
      { line: 6, resourceType: 'Schedule', key: 'sched-short', code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE', field: 'availableTime' },
      { line: 7, resourceType: 'Practitioner', key: 'prac-ng', code: 'BAD_USER_INPUT', reason: 'DUPLICATE', field: 'id' },
      { line: 9, resourceType: 'ChargeItemDefinition', key: '11201', code: 'BAD_USER_INPUT', reason: null, field: 'amount' },
      { line: 10, resourceType: 'Clinic', key: 'x', code: 'BAD_USER_INPUT', reason: 'UNKNOWN_RESOURCE_TYPE', field: 'resourceType' },
      { line: 11, resourceType: null, key: null, code: 'BAD_USER_INPUT', reason: 'MALFORMED_ROW', field: null },
      // A practitioner is in one place at a time: Tuesday 11:00-12:00 is sched-ng's already.
      { line: 13, resourceType: 'Schedule', key: 'sched-ng-late', code: 'CONFLICT', reason: 'SCHEDULE_OVERLAP', field: 'availableTime' },
      { line: 14, resourceType: 'Schedule', key: 'sched-ng-sat', code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE', field: 'availableTime' },
    ]);
    expect(report.rejected.find((rejection) => rejection.line === 13)!.message).toContain('overlaps schedule sched-ng ');
    expect(await appointments.query('SELECT id FROM location WHERE id = ANY($1) ORDER BY id', [['loc-after', 'loc-north', 'loc-unclosed']])).toEqual([{ id: 'loc-after' }, { id: 'loc-north' }]);
    const [practitioner] = await appointments.query('SELECT * FROM practitioner WHERE id = $1', ['prac-ng']);
    expect(practitioner).toMatchObject({ family_name: 'Ng', given_names: ['Mei', 'Lin'] });
    const schedules = await appointments.query('SELECT id FROM schedule WHERE id = ANY($1) ORDER BY id', [['sched-ng', 'sched-nobody', 'sched-short', 'sched-ng-late', 'sched-ng-sat', 'sched-ng-sun']]);
    expect(schedules).toEqual([{ id: 'sched-ng' }, { id: 'sched-ng-sun' }]);
    // Mon-Thu 08:00-12:00 in 20-minute slots, Fri 13:00-15:00: 4 × 12 + 6 a week, four weeks
    const [{ n }] = (await appointments.query('SELECT count(*)::int AS n FROM slot WHERE schedule_id = $1', ['sched-ng'])) as [{ n: number }];
    expect(n).toBe(4 * (4 * 12 + 6));
    expect(await billing.query('SELECT amount_cents FROM fee_schedule WHERE code = $1', ['11200'])).toEqual([{ amount_cents: 9550 }]);
  });

  it('reads FHIR NDJSON and reports a line that is not JSON without losing the lines around it', async () => {
    const ndjson = [
      JSON.stringify({ resourceType: 'Location', id: 'loc-south', name: 'South Clinic', address: { city: 'Bristol' } }),
      '{"resourceType": "Location", "id": ',
      JSON.stringify({ resourceType: 'Practitioner', id: 'prac-south', name: [{ family: 'Adeyemi', given: ['Tolu'] }] }),
      JSON.stringify({ resourceType: 'Organization', id: 'pay-south', name: 'Southern Mutual', identifier: [{ value: 'SM-1' }] }),
    ].join('\n');
    const report = await importFile(ndjson, 'ndjson');
    expect(report.accepted).toBe(2);
    expect(report.rejected.map(({ line, code, reason, field }) => ({ line, code, reason, field }))).toEqual([
      { line: 2, code: 'BAD_USER_INPUT', reason: 'MALFORMED_ROW', field: null },
      { line: 3, code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE', field: 'specialty' },
    ]);
    expect(await billing.query('SELECT name FROM payer WHERE id = $1', ['pay-south'])).toEqual([{ name: 'Southern Mutual' }]);
  });

  it('flags a payer that duplicates another by name or identifier, however spelt, and writes the other rows', async () => {
    const payer = (id: string, name: string, identifier?: string) => JSON.stringify({ resourceType: 'Organization', id, name, identifier: identifier ? [{ value: identifier }] : undefined });
    const ndjson = [
      payer('pay-cascade-2', 'CASCADE HEALTH INSURANCE, Inc.'),
      payer('pay-harbor-2', 'Harbour Health', '61-002'),
      payer('pay-new', 'Riverbend Health Cooperative', 'RB-77'),
      payer('pay-new-again', 'Riverbend Health Co-operative', 'rb 77'),
      payer('pay-01', 'Cascade Health Insurance', '61001'),
    ].join('\n');
    const report = await importFile(ndjson, 'ndjson');
    expect(report.accepted).toBe(2);
    expect(report.rejected.map(({ line, key, code, reason }) => ({ line, key, code, reason }))).toEqual([
      { line: 1, key: 'pay-cascade-2', code: 'CONFLICT', reason: 'DUPLICATE_PAYER' },
      { line: 2, key: 'pay-harbor-2', code: 'CONFLICT', reason: 'DUPLICATE_PAYER' },
      { line: 4, key: 'pay-new-again', code: 'CONFLICT', reason: 'DUPLICATE_PAYER' },
    ]);
    expect(report.rejected[0]!.message).toContain('pay-01');
    expect(report.rejected[2]!.message).toContain('pay-new');
    const ids = await billing.query<{ id: string }>('SELECT id FROM payer ORDER BY id');
    expect(ids.map((row) => row.id)).toEqual(['pay-01', 'pay-02', 'pay-03', 'pay-04', 'pay-05', 'pay-new', 'pay-south']);
  });
});
