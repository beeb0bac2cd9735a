import { ValueError } from './exceptions.ts';

/** Reads a field of the record under test; throws Odoo's ValueError for an unknown field. */
type FieldValue = (field: string) => unknown;
type Leaf = [field: unknown, operator: unknown, value: unknown];

/** Python's repr, as Odoo's messages quote values: ('ref', '=', False). */
export function pythonRepr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return String(value);
}

/** Refuses a domain naming a field the model does not have, as Odoo does before it searches. */
export function checkDomain(model: string, domain: unknown, hasField: (field: string) => boolean): void {
  for (const term of Array.isArray(domain) ? domain : []) {
    if (!Array.isArray(term) || term.length !== 3) continue;
    const field = String(term[0]).split('.')[0] as string;
    if (!hasField(field)) throw ValueError(`Invalid field ${model}.${field} in leaf (${term.map(pythonRepr).join(', ')})`);
  }
}

/**
 * Odoo's domains: prefix notation with '&', '|', '!' and an implicit '&' between top-level terms.
 * Both operands are always evaluated so that the position in the domain stays right.
 */
export function matchesDomain(domain: unknown, value: FieldValue): boolean {
  if (!Array.isArray(domain)) throw ValueError(`Invalid domain: ${JSON.stringify(domain)}`);
  let position = 0;
  const term = (): boolean => {
    const item: unknown = domain[position++];
    if (item === '!') return !term();
    if (item === '&' || item === '|') {
      const left = term();
      const right = term();
      return item === '&' ? left && right : left || right;
    }
    if (Array.isArray(item) && item.length === 3) return matchesLeaf(item as Leaf, value);
    throw ValueError(`Invalid domain: ${JSON.stringify(domain)}`);
  };
  let matched = true;
  while (position < domain.length) matched = term() && matched;
  return matched;
}

function matchesLeaf(leaf: Leaf, value: FieldValue): boolean {
  const [field, operator, expected] = leaf;
  const actual = value(String(field));
  // An x2many matches when any of its ids does.
  const any = (test: (candidate: unknown) => boolean) => (Array.isArray(actual) ? actual : [actual]).some(test);
  const among = (candidate: unknown) => (Array.isArray(expected) ? expected : [expected]).some((e) => same(candidate, e));
  switch (operator) {
    case '=': return any((candidate) => same(candidate, expected));
    case '!=': return !any((candidate) => same(candidate, expected));
    case 'in': return any(among);
    case 'not in': return !any(among);
    case '<': case '>': case '<=': case '>=': return any((candidate) => compare(candidate, operator, expected));
    case 'like': case 'ilike': case '=like': case '=ilike': return any(likeTest(operator, expected));
    case 'not like': case 'not ilike': return !any(likeTest(operator.slice(4), expected));
    default: throw ValueError(`Invalid leaf ${JSON.stringify(leaf)}`);
  }
}

/** `False` stands for "not set" in Odoo's domains. */
const same = (actual: unknown, expected: unknown) =>
  actual === expected || (expected === false && (actual === false || actual === null || actual === undefined));

function compare(actual: unknown, operator: string, expected: unknown): boolean {
  if (actual === false || actual == null || expected === false || expected == null) return false;
  const [a, b] = [actual as number | string, expected as number | string];
  return operator === '<' ? a < b : operator === '>' ? a > b : operator === '<=' ? a <= b : a >= b;
}

/** SQL LIKE: '%' and '_' are wildcards; like/ilike match anywhere, =like/=ilike the whole value. */
function likeTest(operator: string, expected: unknown) {
  const pattern = String(expected).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  const regex = new RegExp(operator.startsWith('=') ? `^${pattern}$` : pattern, operator.includes('ilike') ? 'is' : 's');
  return (candidate: unknown) => typeof candidate === 'string' && regex.test(candidate);
}

/** Odoo's order clause, e.g. "invoice_date desc, id"; unset values sort last, as in PostgreSQL. */
export function compareByOrder<T>(order: unknown, value: (item: T, field: string) => unknown) {
  const terms = String(order || 'id')
    .split(',')
    .map((term) => term.trim().split(/\s+/))
    .map(([field = 'id', direction = 'asc']) => ({ field, descending: direction.toLowerCase() === 'desc' }));
  return (left: T, right: T): number => {
    for (const { field, descending } of terms) {
      const order = compareValues(value(left, field), value(right, field));
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };
}

function compareValues(a: unknown, b: unknown): number {
  const unset = (v: unknown) => v === false || v == null;
  if (unset(a) || unset(b)) return Number(unset(a)) - Number(unset(b));
  const [x, y] = [a as number | string, b as number | string];
  return x < y ? -1 : x > y ? 1 : 0;
}
