// The fan-out benchmark's subgraphs: every subgraph of the embedded system on seeded demo data, in a
// process of their own so the gateway's CPU is measured apart.
import { startSystem } from '../../launcher.ts';
import type { AppointmentRef, StackReady } from './messages.ts';

const system = await startSystem({ gatewayPort: 0, seedDemoData: true });
const appointments = await system.subgraphs.appointments.database.query<AppointmentRef & Record<string, unknown>>(
  'SELECT id, patient_id AS "patientId" FROM appointment ORDER BY id',
);
const coverages = await system.subgraphs.patients.database.query<{ patientId: string; payerId: string }>(
  `SELECT patient_id AS "patientId", payer_id AS "payerId" FROM coverage WHERE status = 'ACTIVE'`,
);
const ready: StackReady = {
  subgraphUrls: Object.fromEntries(Object.values(system.subgraphs).map((subgraph) => [subgraph.name, subgraph.url])),
  appointments,
  coverages,
};
process.send!(ready);
process.once('SIGTERM', () => void system.close().finally(() => process.exit(0)));
