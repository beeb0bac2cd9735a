import { checkDomain, compareByOrder, matchesDomain } from './domain.ts';
import type { Call, Context, Env, Method, Model, Row } from './env.ts';
import { ValidationError, ValueError } from './exceptions.ts';
import { emptyValue, type Field } from './env.ts';

type Values = Record<string, unknown>;

export function displayName(env: Env, model: Model, row: Row): string {
  return model.displayName?.(row, env) ?? String(row.name || '');
}

function fieldOf(model: Model, name: string): Field {
  if (name === 'display_name') return { type: 'char', compute: (env, row) => displayName(env, model, row) };
  const field = model.fields[name];
  if (!field) throw ValueError(`Invalid field '${name}' on model '${model.name}'`);
  return field;
}

export const comodel = (env: Env, field: Field): Model => env.models.get(field.relation ?? '') as Model;

/** The value as stored or computed: a many2one is an id or false, an x2many a list of ids. */
export function fieldValue(env: Env, model: Model, row: Row, name: string): unknown {
  if (name === 'id') return row.id;
  const field = fieldOf(model, name);
  if (field.compute) return field.compute(env, row);
  if (field.type === 'one2many') {
    const held = field.where ?? (() => true);
    return env.rows(comodel(env, field).name).filter((r) => r[field.inverse ?? ''] === row.id && held(r)).map((r) => r.id);
  }
  return row[name] ?? emptyValue(field);
}

/** What `read` answers for a field: many2one as [id, display_name]. */
function readValue(env: Env, model: Model, row: Row, name: string): unknown {
  const value = fieldValue(env, model, row, name);
  const field = fieldOf(model, name);
  if (field.type !== 'many2one' || !value) return value;
  const target = comodel(env, field);
  const [related] = env.existing(target.name, [value as number]);
  return related ? [related.id, displayName(env, target, related)] : false;
}

export function readRows(env: Env, model: Model, rows: Row[], fields: unknown): Values[] {
  const requested = Array.isArray(fields) && fields.length > 0 ? fields.map(String) : ['display_name', ...Object.keys(model.fields)];
  const names = requested.filter((name) => name !== 'id');
  names.forEach((name) => fieldOf(model, name));
  return rows.map((row) => ({ id: row.id, ...Object.fromEntries(names.map((name) => [name, readValue(env, model, row, name)])) }));
}

/**
 * The stored columns of `vals`. A field the model does not have is Odoo's ValueError, so a
 * misspelt field fails here as it does in Odoo; values written to computed fields are ignored.
 */
function columns(env: Env, model: Model, vals: Values): Values {
  Object.keys(vals).forEach((name) => fieldOf(model, name));
  const stored = Object.entries(vals).filter(([name]) => {
    const field = model.fields[name] as Field;
    return !field.compute && field.type !== 'one2many' && field.type !== 'many2many';
  });
  for (const [name, value] of stored) {
    const field = model.fields[name] as Field;
    if (field.type === 'many2one' && value !== false && env.existing(comodel(env, field).name, [Number(value)]).length === 0) {
      throw ValidationError(`The operation cannot be completed: ${model.name}.${name} refers to a record that does not exist.`);
    }
  }
  return Object.fromEntries(stored);
}

/**
 * `nested` for lines written through their parent's x2many commands: the parent's `changed` runs
 * once they all are written, as Odoo syncs an invoice's lines after the whole create or write.
 */
export function createRecord(env: Env, model: Model, vals: Values, context: Context, nested = false): Row {
  if (typeof vals !== 'object' || vals === null || Array.isArray(vals)) throw ValueError(`Invalid values for ${model.name}.create()`);
  const defaults = model.defaults?.(env, vals, context) ?? {};
  const values = { ...defaults, ...columns(env, model, vals) };
  model.check?.(env, 'create', values, []);
  const row = env.insert(model.name, values);
  applyCommands(env, model, row, vals);
  if (!nested) model.changed?.(env, [row]);
  return row;
}

export function writeRecords(env: Env, model: Model, ids: number[], vals: Values, nested = false): true {
  const rows = env.browse(model.name, ids);
  const values = columns(env, model, vals);
  model.check?.(env, 'write', values, rows);
  for (const row of rows) {
    Object.assign(row, values);
    applyCommands(env, model, row, vals);
  }
  if (!nested) model.changed?.(env, rows);
  return true;
}

export function unlinkRecords(env: Env, model: Model, ids: number[], nested = false): true {
  const rows = env.browse(model.name, ids);
  model.check?.(env, 'unlink', {}, rows);
  env.remove(model.name, ids);
  if (!nested) model.changed?.(env, rows);
  return true;
}

/** Odoo's x2many commands (fields.Command) on the x2many fields of `vals`. */
function applyCommands(env: Env, model: Model, row: Row, vals: Values): void {
  for (const [name, commands] of Object.entries(vals)) {
    const field = model.fields[name];
    if (field?.compute || (field?.type !== 'one2many' && field?.type !== 'many2many')) continue;
    for (const command of Array.isArray(commands) ? commands : []) {
      if (field.type === 'one2many') applyOne2many(env, model, row, name, field, command as unknown[]);
      else row[name] = many2manyIds(row[name] as number[] | undefined, command as unknown[], `${model.name}.${name}`);
    }
  }
}

function applyOne2many(env: Env, model: Model, row: Row, name: string, field: Field, command: unknown[]): void {
  const [code, id, data] = command as [number, number, unknown];
  const lines = comodel(env, field);
  const inverse = { [field.inverse ?? '']: row.id };
  const current = () => fieldValue(env, model, row, name) as number[];
  if (code === 0) createRecord(env, lines, { ...(data as Values), ...inverse }, {}, true);
  else if (code === 1) writeRecords(env, lines, [id], data as Values, true);
  // Lines cannot outlive their parent (ondelete='cascade'), so unlinking one deletes it.
  else if (code === 2 || code === 3) unlinkRecords(env, lines, [id], true);
  else if (code === 4) writeRecords(env, lines, [id], inverse, true);
  else if (code === 5) unlinkRecords(env, lines, current(), true);
  else if (code === 6) {
    const keep = (data as number[]).map(Number);
    unlinkRecords(env, lines, current().filter((line) => !keep.includes(line)), true);
    writeRecords(env, lines, keep, inverse, true);
  } else throw ValueError(`Invalid command ${JSON.stringify(command)} for ${model.name}.${name}`);
}

function many2manyIds(ids: number[] = [], [code, id, data]: unknown[], field: string): number[] {
  if (code === 4) return ids.includes(Number(id)) ? ids : [...ids, Number(id)];
  if (code === 3) return ids.filter((kept) => kept !== Number(id));
  if (code === 5) return [];
  if (code === 6) return (data as unknown[]).map(Number);
  throw ValueError(`Invalid command ${JSON.stringify([code, id, data])} for ${field}`);
}

/** Odoo's active_test: archived records are left out unless the domain asks about `active`. */
function activeOnly(model: Model, domain: unknown): unknown {
  if (!model.fields.active || !Array.isArray(domain)) return domain;
  const mentionsActive = domain.some((term) => Array.isArray(term) && term[0] === 'active');
  return mentionsActive ? domain : [['active', '=', true], ...domain];
}

function search({ env, model, args }: Call): Row[] {
  const value = (row: Row, name: string) => fieldValue(env, model, row, name);
  checkDomain(model.name, args.domain, (name) => name === 'id' || name === 'display_name' || name in model.fields);
  const domain = activeOnly(model, args.domain ?? []);
  const found = env.rows(model.name).filter((row) => matchesDomain(domain, (name) => value(row, name)));
  const offset = Number(args.offset ?? 0);
  const limit = args.limit ? Number(args.limit) : undefined;
  return found.sort(compareByOrder(args.order, value)).slice(offset, limit === undefined ? undefined : offset + limit);
}

/** The ORM methods every model has, with Python's parameter names. */
export const ormMethods: Record<string, Method> = {
  create: {
    api: 'model',
    params: ['vals_list'],
    run: ({ env, model, args, context }) =>
      (Array.isArray(args.vals_list) ? args.vals_list : [args.vals_list]).map((vals) => createRecord(env, model, vals, context).id),
  },
  write: { api: 'records', params: ['vals'], run: ({ env, model, ids, args }) => writeRecords(env, model, ids, args.vals as Values) },
  unlink: { api: 'records', params: [], run: ({ env, model, ids }) => unlinkRecords(env, model, ids) },
  // Odoo's read leaves out records that do not exist instead of failing.
  read: { api: 'records', params: ['fields?', 'load?'], run: ({ env, model, ids, args }) => readRows(env, model, env.existing(model.name, ids), args.fields) },
  search: { api: 'model', params: ['domain', 'offset?', 'limit?', 'order?'], run: (call) => search(call).map((row) => row.id) },
  search_read: {
    api: 'model',
    params: ['domain?', 'fields?', 'offset?', 'limit?', 'order?'],
    run: (call) => readRows(call.env, call.model, search(call), call.args.fields),
  },
  search_count: { api: 'model', params: ['domain', 'limit?'], run: (call) => search(call).length },
};
