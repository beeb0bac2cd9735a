import { Load } from './load.ts';
import type { FaultSystem } from './system.ts';

const CHART = 'query Chart($id: ID!) { patient(id: $id) { id birthDate appointments { id status } } }';

/**
 * Clinicians reading patient charts (patients, appointments and the audit trail on every read) until stopped:
 * `concurrency` of them, each with a token of its own (`<subject>-<n>`), so each has its own cost budget, as
 * each clinician has, and each at most 10 charts a second (~60 points/s at ~6 points a chart). Unpaced, a
 * caller read some 30 charts a second once the gateway got faster, beyond the portal tier's restore rate
 * (100 points/s): refused with RATE_LIMITED once its bucket was empty, whatever the fault, and within
 * seconds on the per-replica share while Redis is away (half of it: 1,000 points, 50 a second).
 */
export async function chartReaders(system: FaultSystem, subject: string, concurrency: number): Promise<Load> {
  const patients = await system.database('patients');
  const ids = (await patients.query<{ id: string }>('SELECT id FROM patient ORDER BY id LIMIT 40')).map((row) => row.id);
  return new Load({
    url: system.url,
    query: CHART,
    variables: (n) => ({ id: ids[n % ids.length] }),
    headers: await Promise.all(Array.from({ length: concurrency }, (_, n) => system.bearer({ role: 'clinician', subject: `${subject}-${n}` }))),
    concurrency,
    paceMs: 100,
    served: (data) => Boolean((data as { patient?: unknown } | null)?.patient),
  });
}
