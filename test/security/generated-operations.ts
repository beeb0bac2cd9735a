import { readFileSync } from 'node:fs';
import {
  astFromValue,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLObjectType,
} from 'graphql';
import { apiSchemaOf } from '../../gateway/api-schema.ts';
import { supergraphPath } from '../../schema/catalog.ts';

/**
 * Operations generated from the supergraph, so that a new root field or mutation is called without
 * anyone writing a test: every argument filled from its name (an `id` of `Query.claim` is a claim of
 * the other party, `patientId` the other patient...), every scalar selected down to a modest depth.
 * An argument no filler knows fails the generated access test, naming what to add here.
 */
export const apiSchema = apiSchemaOf(readFileSync(supergraphPath, 'utf8'));

/** What the fillers draw on: the other party's ids, and values that belong to nobody. */
export interface FillContext {
  /** By type name (Patient, Appointment, Claim...): one of the other party's records, for an `id` argument of a field returning that type. */
  idOf: Partial<Record<string, string>>;
  patientId: string;
  /** A third patient, neither the caller's nor the other party's: the survivor a steward merges the other patient into. */
  survivorId: string;
  appointmentId: string;
  claimId: string;
  invoiceId: string;
  chargeId: string;
  /** A free slot: belongs to nobody, but booking it for the other patient would. */
  slotId: string;
  /** The other party's payer (its members are the other party of a payer token). */
  payerId: string;
  endpointId: string;
  deliveryId: string;
  odooInvoiceId: number;
  odooPaymentId: number;
  /** A front-office task (an Odoo activity) on the other patient's account. */
  odooActivityId: number;
  /** The other patient's MRN, for a search. */
  mrn: string;
  webhookUrl: string;
  /** The day of the other patient's appointment (a day schedule that holds it). */
  date: string;
  window: { from: string; to: string };
}

interface Position {
  /** `Query.claim(id)`, `CaptureChargesInput.codes`: where the value goes, for messages. */
  where: string;
  name: string;
  /** The field the argument belongs to (for `id`: the type it returns). */
  field: GraphQLField<unknown, unknown>;
  input: GraphQLArgument | GraphQLInputField;
}

interface Filler {
  value(context: FillContext, position: Position): unknown;
  /** Given also where the argument is optional (filters, search criteria): these narrow to the other party. */
  whenOptional?: boolean;
}

const constant = (value: unknown, whenOptional = false): Filler => ({ value: () => value, whenOptional });
const from = (pick: (context: FillContext) => unknown, whenOptional = false): Filler => ({ value: pick, whenOptional });

/** By argument or input field name. Add one here when the test says it cannot fill an argument. */
const fillers: Record<string, Filler> = {
  id: { value: (context, { field }) => context.idOf[getNamedType(field.type).name] },
  patientId: from((context) => context.patientId, true),
  // A merge of the other patient into a third, undone by the unmerge that follows it in the schema.
  mergedId: from((context) => context.patientId),
  survivorId: from((context) => context.survivorId),
  reason: constant('generated access test'),
  appointmentId: from((context) => context.appointmentId),
  claimId: from((context) => context.claimId),
  invoiceId: from((context) => context.invoiceId),
  chargeIds: from((context) => [context.chargeId]),
  slotId: from((context) => context.slotId),
  payerId: from((context) => context.payerId),
  organizationId: from((context) => context.payerId, true),
  endpointId: from((context) => context.endpointId),
  deliveryId: from((context) => context.deliveryId),
  odooInvoiceId: from((context) => context.odooInvoiceId),
  odooPaymentId: from((context) => context.odooPaymentId),
  odooActivityId: from((context) => context.odooActivityId),
  odooMessageId: constant(1),
  summary: constant('generated access test'),
  deadline: constant('2030-01-01'),
  choices: constant(['DONE']),
  // A patient search's MRN; a payer's identifier (PayerInput) is nobody's.
  identifier: { value: (context, { where }) => (where.startsWith('PayerInput') ? 'GENERATED-PAYER-1' : context.mrn), whenOptional: true },
  url: from((context) => context.webhookUrl),
  date: from((context) => context.date),
  from: from((context) => context.window.from, true),
  to: from((context) => context.window.to, true),
  first: constant(3, true),
  // A weekly period's times (AvailableTimeInput), any other start a date.
  start: { value: (_context, { where }) => (where.startsWith('AvailableTimeInput') ? '09:00' : '2024-01-01') },
  end: { value: (_context, { where }) => (where.startsWith('AvailableTimeInput') ? '12:00' : '2024-12-31') },
  serviceCode: constant('99213'),
  codes: constant(['99213']),
  outcome: constant('DENIED'),
  denialReason: constant('generated access test', true),
  amount: constant(1),
  method: constant('CARD'),
  memberId: constant('M-GENERATED'),
  plan: constant('Bronze PPO'),
  // Reference data (an administrator's): names for nobody, an existing practitioner and location, a code of no fee.
  name: { value: (_context, { input }) => (getNamedType(input.type).name === 'HumanNameInput' ? { family: 'Generated', given: ['Access'] } : 'Generated Access Test') },
  city: constant('Springfield'),
  specialty: constant('General practice'),
  practitionerId: from((context) => context.idOf.Practitioner),
  locationId: from((context) => context.idOf.Location),
  serviceType: constant('general-practice'),
  slotMinutes: constant(30),
  code: constant('GENERATED-1'),
  description: constant('generated access test'),
  family: constant('Generated'),
  given: constant(['Access']),
  birthDate: constant('1990-01-01'),
  gender: constant('UNKNOWN', true),
  category: constant('RESEARCH'),
  // A consent's DENY; any other decision (a steward's MatchDecision) its first value.
  decision: {
    value: (_context, { input }) => {
      const named = getNamedType(input.type);
      return isEnumType(named) && !named.getValue('DENY') ? named.getValues()[0]!.value : 'DENY';
    },
  },
  eventTypes: constant(['org.healthgraph.claim.adjudicated.v1']),
  // Every status an onboarding list may ask for, so the other patient's onboarding is listed whatever its own.
  statuses: {
    value: (_context, { input }) => {
      const named = getNamedType(input.type);
      return isEnumType(named) ? named.getValues().map((value) => value.value) : undefined;
    },
  },
  // A consumer group of the service the replay is on.
  group: {
    value: (_context, { field }) =>
      ({ replayAppointmentsDeadLetters: 'appointments-payer-members', replayBillingDeadLetters: 'billing-encounters', replayOdooFinanceDeadLetters: 'odoo-sync', replayWebhooksDeadLetters: 'webhooks', replayWorkflowsDeadLetters: 'workflows' })[field.name],
  },
};

/** A value for the position, `undefined` to leave it out; a required one nobody can fill is a problem. */
function fill(context: FillContext, position: Position, problems: string[]): unknown {
  const { input } = position;
  const required = isNonNullType(input.type) && input.defaultValue === undefined;
  const filler = fillers[position.name];
  if (filler && (required || filler.whenOptional)) {
    const value = filler.value(context, position);
    if (value === undefined && required) problems.push(`${position.where}: the filler "${position.name}" has no value for it (add one to FillContext.idOf?)`);
    return value;
  }
  if (!required) return undefined;
  const named = getNamedType(input.type);
  const single = isInputObjectType(named)
    ? fillFields(context, named.name, Object.values(named.getFields()), position.field, problems)
    : isEnumType(named)
      ? named.getValues()[0]!.value
      : undefined;
  if (single === undefined) {
    problems.push(`${position.where} (${String(input.type)}): no filler for "${position.name}"; add one to test/security/generated-operations.ts`);
    return undefined;
  }
  const nullable = isNonNullType(input.type) ? input.type.ofType : input.type;
  return isListType(nullable) ? [single] : single;
}

function fillFields(
  context: FillContext,
  owner: string,
  inputs: ReadonlyArray<GraphQLArgument | GraphQLInputField>,
  field: GraphQLField<unknown, unknown>,
  problems: string[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const input of inputs) {
    const value = fill(context, { where: `${owner}.${input.name}`, name: input.name, field, input }, problems);
    if (value !== undefined) values[input.name] = value;
  }
  return values;
}

/** `(id: "clm-1", first: 3)` for the field, or nothing. */
function argumentsOf(context: FillContext, parent: string, field: GraphQLField<unknown, unknown>, problems: string[], sent: unknown[]): string {
  const values = fillFields(context, `${parent}.${field.name}`, field.args, field, problems);
  const printed = field.args
    .filter((arg) => arg.name in values)
    .map((arg) => {
      sent.push(values[arg.name]);
      return `${arg.name}: ${print(astFromValue(values[arg.name], arg.type)!)}`;
    });
  return printed.length > 0 ? `(${printed.join(', ')})` : '';
}

/** Every scalar of `type` and, `depth` levels down, of the objects it reaches. */
function selectionOf(context: FillContext, type: GraphQLObjectType, depth: number, problems: string[], sent: unknown[]): string {
  const selections: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (!isLeafType(named) && !isObjectType(named)) {
      problems.push(`${type.name}.${field.name}: ${named.name} is abstract; teach the generator to select it`);
      continue;
    }
    if (!isLeafType(named) && depth <= 1) continue;
    const args = argumentsOf(context, type.name, field, problems, sent);
    if (isLeafType(named)) selections.push(`${field.name}${args}`);
    else selections.push(`${field.name}${args} { ${selectionOf(context, named, depth - 1, problems, sent) || '__typename'} }`);
  }
  return selections.join(' ');
}

export interface RootField {
  operation: 'query' | 'mutation';
  /** `Query.claim` */
  coordinate: string;
  field: GraphQLField<unknown, unknown>;
}

/** Every root field of Query and Mutation in the supergraph, queries first. */
export function rootFields(): RootField[] {
  return (['query', 'mutation'] as const).flatMap((operation) => {
    const root = operation === 'query' ? apiSchema.getQueryType() : apiSchema.getMutationType();
    return Object.values(root?.getFields() ?? {}).map((field) => ({ operation, coordinate: `${root!.name}.${field.name}`, field }));
  });
}

export interface GeneratedOperation {
  operationName: string;
  source: string;
  /** Every string value given as an argument: an error may echo these without disclosing anything. */
  sentValues: string[];
  /** What the generator could not fill or select. */
  problems: string[];
}

/** The operation calling `root` with the context's values, selecting `depth` object levels (1: the root field's own scalars). */
export function generatedOperation(root: RootField, context: FillContext, depth: number): GeneratedOperation {
  const problems: string[] = [];
  const sent: unknown[] = [];
  const [parent, name] = root.coordinate.split('.') as [string, string];
  const args = argumentsOf(context, parent, root.field, problems, sent);
  const named = getNamedType(root.field.type);
  const selection = isObjectType(named) ? ` { ${selectionOf(context, named, depth, problems, sent) || '__typename'} }` : '';
  const operationName = `Generated_${parent}_${name}`;
  return {
    operationName,
    source: `${root.operation} ${operationName} { ${name}${args}${selection} }`,
    sentValues: stringsIn(sent),
    problems,
  };
}

/** Every string in a JSON-like value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
