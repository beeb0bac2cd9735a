import type { RunningSystem } from '../../launcher.ts';
import { addPayerMembers, type Membership } from '../../subgraphs/appointments/payer-members.ts';

/**
 * The active coverages of the seeded demo data, projected into the appointments subgraph as its
 * coverage.added reaction would: the launcher's seed does not hand them to the appointments seed
 * yet, and without them a payer sees no appointment at all. Harmless once it does.
 */
export async function projectPayerMembers(system: RunningSystem): Promise<Membership[]> {
  const coverages = await system.subgraphs.patients.database.query<Membership & Record<string, unknown>>(
    `SELECT patient_id AS "patientId", payer_id AS "payerId" FROM coverage WHERE status = 'ACTIVE'`,
  );
  await addPayerMembers(system.subgraphs.appointments.database, coverages);
  return coverages;
}
