import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../platform/caller.ts';
import { patientRows, RowScope, whileServingRequest } from '../../platform/subgraph/row-scope.ts';

const caller = (roles: string[], bound: Partial<Caller> = {}): Caller =>
  ({ subject: 'u-1', clientId: 'portal', roles, scopes: [], purposeOfUse: 'TREAT', ...bound }) as Caller;

const rule = patientRows('a.patient_id', 'coverage');

describe('RowScope', () => {
  it('binds a patient to their own rows and a payer to its members, whatever else they hold', () => {
    const params: unknown[] = [];
    expect(RowScope.ofCaller(caller(['patient', 'front_desk'], { patientId: 'pat-0001' })).condition(rule, params)).toBe('a.patient_id = $1');
    expect(params).toEqual(['pat-0001']);
    const payer = RowScope.ofCaller(caller(['payer_partner', 'auditor'], { organizationId: 'pay-01' }));
    expect(payer.boundPayer).toBe('pay-01');
    expect(payer.condition(rule, [])).toContain("m.status = 'ACTIVE'");
  });

  it('gives a role-less caller, or a patient or payer bound to nobody, no rows at all', () => {
    expect(RowScope.ofCaller(null).condition(rule, [])).toBe('false');
    expect(RowScope.ofCaller(caller([])).condition(rule, [])).toBe('false');
    expect(RowScope.ofCaller(caller(['patient'])).condition(rule, [])).toBe('false');
    expect(RowScope.ofCaller(caller(['payer_partner'])).condition(rule, [])).toBe('false');
  });

  it('notes released and refused patients for the audit trail', () => {
    const scope = RowScope.ofCaller(caller(['patient'], { patientId: 'pat-0001' }));
    expect(scope.reaches('pat-0001')).toBe(true);
    expect(scope.reaches('pat-0002')).toBe(false);
    expect([...scope.disclosures!.released]).toEqual(['pat-0001']);
    expect([...scope.disclosures!.refused]).toEqual(['pat-0002']);
  });

  it('refuses the all-rows background scope to anything running while a request is served', async () => {
    expect(RowScope.background('a consumer group').everyRow).toBe(true);
    expect(() => whileServingRequest(() => RowScope.background('a resolver'))).toThrow(/A request reached the background scope/);
    // Async work started by a request is still that request's.
    await expect(whileServingRequest(async () => {
      await Promise.resolve();
      return RowScope.background('a resolver, later');
    })).rejects.toThrow(/background scope/);
  });

  it('is never asked for all rows by a resolver, a store or anything a request reaches', () => {
    // The background scope belongs to workers, seeds and scripts. A resolver that made one would
    // throw at run time; this finds it before it ships.
    const root = new URL('../../subgraphs/', import.meta.url).pathname;
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
      });
    // Consumer groups, reconciliation, the Odoo sync, seeds, the batch deduplication (`npm run mpi:dedupe`).
    const backgroundWork = /(^|\/)(workers|reconciliation|sync)\/|demo-seed\.ts$|\/dedupe\.ts$|\/main\.ts$/;
    const offenders = files(root)
      .filter((path) => readFileSync(path, 'utf8').includes('RowScope.background('))
      .map((path) => relative(root, path))
      .filter((path) => !backgroundWork.test(path));
    expect(offenders).toEqual([]);
  });
});
