import { Load } from './load.ts';
import type { FaultSystem } from './system.ts';

const CHART = 'query Chart($id: ID!) { patient(id: $id) { id birthDate appointments { id status } } }';

/** Clinicians reading patient charts (patients, appointments and the audit trail on every read) until stopped. */
export async function chartReaders(system: FaultSystem, subject: string, concurrency: number): Promise<Load> {
  const patients = await system.database('patients');
  const ids = (await patients.query<{ id: string }>('SELECT id FROM patient ORDER BY id LIMIT 40')).map((row) => row.id);
  return new Load({
    url: system.url,
    query: CHART,
    variables: (n) => ({ id: ids[n % ids.length] }),
    headers: await system.bearer({ role: 'clinician', subject }),
    concurrency,
    served: (data) => Boolean((data as { patient?: unknown } | null)?.patient),
  });
}
