import { pino } from 'pino';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import { auditMigrations, AuditStore } from '../../platform/audit/audit-store.ts';
import { verifyAuditChain, type ChainVerification } from '../../platform/audit/verify-chain.ts';
import type { Database, Queryable } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase, type DatabaseSettings } from '../../platform/database/open.ts';
import { dropSchemas, uniqueName } from '../support/databases.ts';

/** A logger whose lines a test can read. */
export function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

let requests = 0;

/** A clinician reading one patient's demographics; override what a test is about. */
export function accessRecord(overrides: Partial<AccessRecord> = {}): AccessRecord {
  requests += 1;
  return {
    requestId: `req-${requests}`,
    subject: 'user-clinician-1',
    clientId: 'portal-staff',
    roles: ['clinician'],
    purposeOfUse: 'TREAT',
    operationName: 'PatientChart',
    operationHash: 'a'.repeat(64),
    operationType: 'query',
    patientIds: ['pat-0001'],
    fieldsReturned: ['Patient.name', 'Patient.birthDate'],
    fieldsDenied: [],
    outcome: 'allowed',
    at: new Date('2026-11-24T09:30:00Z'),
    ...overrides,
  };
}

export interface AuditTrail {
  db: Database;
  store: AuditStore;
  schema: string;
  close(): Promise<void>;
}

/** An audit trail in a schema of its own, migrated; on PGlite in memory unless a data dir is given. */
export async function openAuditTrail(settings: Omit<DatabaseSettings, 'schema'>, schema = uniqueName('audit')): Promise<AuditTrail> {
  const db = await openDatabase({ ...settings, schema });
  await migrate(db, auditMigrations);
  return {
    db,
    store: new AuditStore(db),
    schema,
    async close() {
      await db.close();
      await dropSchemas(settings.url, schema);
    },
  };
}

/** Edits the trail as a superuser would: with the append-only trigger disabled for the edit. */
async function editAsSuperuser(tx: Queryable, statements: string[]): Promise<void> {
  await tx.exec('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
  for (const sql of statements) await tx.exec(sql);
  await tx.exec('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
}

export const tamper = (db: Database, ...statements: string[]) => db.transaction((tx) => editAsSuperuser(tx, statements));

const rolledBack = Symbol('rolled back');

/** The verdict on the trail as edited, then the edit rolled back: one trail serves every scenario. */
export async function verdictAfterTampering(db: Database, ...statements: string[]): Promise<ChainVerification> {
  let verdict: ChainVerification | undefined;
  await db
    .transaction(async (tx) => {
      await editAsSuperuser(tx, statements);
      verdict = await verifyAuditChain(tx);
      throw rolledBack;
    })
    .catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
  return verdict!;
}
