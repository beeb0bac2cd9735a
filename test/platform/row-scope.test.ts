import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../platform/caller.ts';
import { patientRows, RowScope } from '../../platform/subgraph/row-scope.ts';

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

  it('is what background work takes: every row, and nothing it reads is anyone\'s disclosure', () => {
    const scope = RowScope.background('a consumer group');
    expect(scope.everyRow).toBe(true);
    expect(scope.disclosures).toBeNull();
  });

  it('is out of reach of every module a request runs: what the resolvers and the per-request context import, at any depth', () => {
    const repo = new URL('../../', import.meta.url).pathname;
    const subgraphs = join(repo, 'subgraphs');
    // Work a request starts on purpose, whose reads are the service's own and not the caller's.
    const startedByRequests = new Map([
      ['subgraphs/odoo-finance/reconciliation/reconcile.ts', 'runReconciliation: an operator starts a run; the caller gets the run, not the invoices it read'],
    ]);
    const importsOf = (file: string): string[] =>
      [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)]
        .map((match) => resolve(dirname(file), match[1]!))
        .filter((path) => path.endsWith('.ts') && existsSync(path));
    const offenders: string[] = [];
    for (const name of readdirSync(subgraphs)) {
      const roots = ['resolvers.ts', 'context.ts'].map((file) => join(subgraphs, name, file)).filter(existsSync);
      const reached = new Set<string>();
      const visit = (file: string, path: string[]) => {
        if (reached.has(file)) return;
        reached.add(file);
        const where = relative(repo, file);
        if (startedByRequests.has(where)) return;
        if (readFileSync(file, 'utf8').includes('RowScope.background(')) offenders.push([...path, where].join(' -> '));
        for (const next of importsOf(file)) visit(next, [...path, where]);
      };
      for (const root of roots) visit(root, []);
      // The walk follows real imports: each subgraph's resolvers reach its stores.
      expect([...reached].some((file) => file.endsWith('-store.ts') || file.endsWith('stores.ts')), name).toBe(true);
    }
    expect(offenders).toEqual([]);
  });

  it('is never asked for all rows by a resolver, a store or anything a request reaches', () => {
    // The background scope belongs to workers, seeds and scripts, in files named for them.
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
