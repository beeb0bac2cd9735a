import { expect } from 'vitest';
import { ServiceProcess } from './service-process.ts';
import type { FaultSystem } from './system.ts';

/** No service exited without being asked to (a crash): each one's last lines are in the failure. */
export function expectNoCrash(): void {
  const crashes = ServiceProcess.exits.filter((exit) => !exit.expected);
  expect(crashes.map(({ service, code, signal, lastLines }) => ({ service, code, signal, lastLines: lastLines.slice(-15) }))).toEqual([]);
}

/** Resolves once the gateway and every subgraph the harness runs answer /ready ("ready"); how long that took. */
export async function untilAllReady(system: FaultSystem, boundMs: number): Promise<number> {
  const started = performance.now();
  const services = [system.gateway, ...Object.values(system.subgraphs)];
  for (;;) {
    const answers = await Promise.all(
      services.map((service) =>
        fetch(new URL('/ready', service.url), { signal: AbortSignal.timeout(3_000) })
          .then(async (response) => ({ service: service.name, status: response.status, body: (await response.json()) as { status: string; notReady?: string[] } }))
          .catch(() => ({ service: service.name, status: 0, body: { status: 'no answer' } as { status: string; notReady?: string[] } })),
      ),
    );
    // The harness runs no workflows replica (it serves the workflows subgraph and needs the gateway
    // up first): the gateway rightly reports that one dependency down, and nothing else may be.
    const readyButWorkflows = (body: { status: string; notReady?: string[] }) =>
      body.status === 'degraded' && body.notReady?.length === 1 && body.notReady[0] === 'workflows';
    const notReady = answers.filter((answer) => answer.body.status !== 'ready' && !readyButWorkflows(answer.body));
    if (notReady.length === 0) return performance.now() - started;
    if (performance.now() - started > boundMs) throw new Error(`not ready after ${boundMs} ms: ${JSON.stringify(notReady)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A figure for the README's Reliability table, printed so the last run's figures can be copied. */
export function report(scenario: string, figures: Record<string, unknown>): void {
  console.log(`[faults] ${scenario}: ${JSON.stringify(figures)}`);
}
