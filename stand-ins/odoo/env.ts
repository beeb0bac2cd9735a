import { recordMissing } from './exceptions.ts';

export type OdooMajor = 17 | 18 | 19;
export type Context = Record<string, unknown>;

/** A stored record: many2one columns hold an id or false; one2many are derived from their inverse. */
export interface Row {
  id: number;
  [column: string]: unknown;
}

/** One method invocation, with its arguments already bound to their Python names. */
export interface Call {
  env: Env;
  model: Model;
  ids: number[];
  args: Record<string, unknown>;
  context: Context;
}

export interface Method {
  /** 'model' for @api.model methods (no ids), 'records' for methods on a recordset. */
  api: 'model' | 'records';
  /** Parameter names in Python's order; a trailing '?' marks one with a default. */
  params: string[];
  run(call: Call): unknown;
}

export interface Model {
  name: string;
  fields: Record<string, Field>;
  /** Python's display_name, used for many2one pairs; `name` when absent. */
  displayName?(row: Row, env: Env): string;
  /** Default values for create; a wizard also validates its context here. */
  defaults?(env: Env, vals: Record<string, unknown>, context: Context): Record<string, unknown>;
  /** Refuses a change the model does not allow, before anything changes; `rows` is empty on create. */
  check?(env: Env, operation: Operation, vals: Record<string, unknown>, rows: Row[]): void;
  /** Keeps what depends on the rows in step once they changed (an invoice's receivable line...). */
  changed?(env: Env, rows: Row[]): void;
  methods?: Record<string, Method>;
}

export type Operation = 'create' | 'write' | 'unlink';

/** One database: the models of an Odoo version and their records, in memory. */
export class Env {
  readonly uid = 2;
  private readonly tables = new Map<string, Map<number, Row>>();
  private readonly lastIds = new Map<string, number>();
  private readonly sequences = new Map<string, number>();

  constructor(
    readonly version: OdooMajor,
    readonly models: Map<string, Model>,
  ) {}

  rows(model: string): Row[] {
    return [...this.table(model).values()];
  }

  insert(model: string, values: Record<string, unknown>): Row {
    const id = (this.lastIds.get(model) ?? 0) + 1;
    this.lastIds.set(model, id);
    const row = { ...values, id };
    this.table(model).set(id, row);
    return row;
  }

  /** The rows of `ids`, failing with Odoo's MissingError if any does not exist. */
  browse(model: string, ids: number[]): Row[] {
    const missing = ids.filter((id) => !this.table(model).has(id));
    if (missing.length > 0) throw recordMissing(model, missing, this.uid);
    return this.existing(model, ids);
  }

  existing(model: string, ids: number[]): Row[] {
    return ids.flatMap((id) => this.table(model).get(id) ?? []);
  }

  remove(model: string, ids: number[]): void {
    for (const id of ids) this.table(model).delete(id);
  }

  /** Journal sequences such as INV/2026/00001, numbered per prefix and year. */
  nextNumber(prefix: string, date: string): string {
    const key = `${prefix}/${date.slice(0, 4)}`;
    const next = (this.sequences.get(key) ?? 0) + 1;
    this.sequences.set(key, next);
    return `${key}/${String(next).padStart(5, '0')}`;
  }

  today(): string {
    return new Date().toISOString().slice(0, 10);
  }

  private table(model: string): Map<number, Row> {
    let table = this.tables.get(model);
    if (!table) this.tables.set(model, (table = new Map()));
    return table;
  }
}

export type FieldType =
  | 'char' | 'text' | 'html' | 'integer' | 'float' | 'monetary' | 'boolean' | 'date' | 'selection'
  | 'many2one' | 'one2many' | 'many2many';

export interface Field {
  type: FieldType;
  /** The comodel of a relational field. */
  relation?: string;
  /** For a one2many: the many2one on the comodel that points back. */
  inverse?: string;
  /** For a one2many: which of the comodel's records it holds (invoice_line_ids: the product lines). */
  where?: (row: Row) => boolean;
  /** Computed fields are read-only here; values written to them are ignored, as Odoo ignores them. */
  compute?: (env: Env, row: Row) => unknown;
}

export const CHAR: Field = { type: 'char' };
export const HTML: Field = { type: 'html' };
export const INTEGER: Field = { type: 'integer' };
export const FLOAT: Field = { type: 'float' };
export const MONETARY: Field = { type: 'monetary' };
export const BOOLEAN: Field = { type: 'boolean' };
export const DATE: Field = { type: 'date' };
export const SELECTION: Field = { type: 'selection' };
export const many2one = (relation: string): Field => ({ type: 'many2one', relation });
export const one2many = (relation: string, inverse: string, where?: Field['where']): Field => ({ type: 'one2many', relation, inverse, where });
export const many2many = (relation: string): Field => ({ type: 'many2many', relation });
export const computed = (type: FieldType, compute: Field['compute'], relation?: string): Field => ({ type, compute, relation });

/** What Odoo reads for an empty value of each type. */
export function emptyValue({ type }: Field): unknown {
  if (type === 'one2many' || type === 'many2many') return [];
  return type === 'integer' || type === 'float' || type === 'monetary' ? 0 : false;
}

/** Amounts in the company currency (USD), rounded like its 0.01 rounding. */
export const roundAmount = (amount: number) => Math.round(amount * 100) / 100;
