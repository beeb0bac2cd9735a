import type { Env, Row } from './env.ts';

export type FieldType =
  | 'char' | 'integer' | 'float' | 'monetary' | 'boolean' | 'date' | 'selection'
  | 'many2one' | 'one2many' | 'many2many';

export interface Field {
  type: FieldType;
  /** The comodel of a relational field. */
  relation?: string;
  /** For a one2many: the many2one on the comodel that points back. */
  inverse?: string;
  /** Computed fields are read-only here; values written to them are ignored, as Odoo ignores them. */
  compute?: (env: Env, row: Row) => unknown;
}

export const CHAR: Field = { type: 'char' };
export const INTEGER: Field = { type: 'integer' };
export const FLOAT: Field = { type: 'float' };
export const MONETARY: Field = { type: 'monetary' };
export const BOOLEAN: Field = { type: 'boolean' };
export const DATE: Field = { type: 'date' };
export const SELECTION: Field = { type: 'selection' };
export const many2one = (relation: string): Field => ({ type: 'many2one', relation });
export const one2many = (relation: string, inverse: string): Field => ({ type: 'one2many', relation, inverse });
export const computed = (type: FieldType, compute: Field['compute'], relation?: string): Field => ({ type, compute, relation });

/** What Odoo reads for an empty value of each type. */
export function emptyValue({ type }: Field): unknown {
  if (type === 'one2many' || type === 'many2many') return [];
  return type === 'integer' || type === 'float' || type === 'monetary' ? 0 : false;
}

/** Amounts in the company currency (USD), rounded like its 0.01 rounding. */
export const roundAmount = (amount: number) => Math.round(amount * 100) / 100;
