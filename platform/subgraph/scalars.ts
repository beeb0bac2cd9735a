import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from '../errors.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw badInput('A Date must be a calendar date written YYYY-MM-DD');
  }
  // Date.parse accepts 2026-02-31; a round trip does not.
  if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) throw badInput('A Date must be a real calendar date');
  return value;
}

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw badInput('A DateTime must be ISO 8601 with a time zone, e.g. 2026-11-24T09:30:00Z');
  }
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw badInput('A DateTime must be a real instant');
  return instant;
}

const literal = (parse: (value: unknown) => unknown) => (ast: { kind: Kind; value?: unknown }) =>
  parse(ast.kind === Kind.STRING ? ast.value : undefined);

/** Error messages here never repeat the value: it may be a birth date. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: parseDate,
  parseLiteral: literal(parseDate),
});

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: literal(parseDateTime),
});
