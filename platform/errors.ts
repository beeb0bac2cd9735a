import { GraphQLError } from 'graphql';

/**
 * The stable codes a caller can see in `extensions.code`. Messages name ids, never patient data,
 * and never carry a stack trace or a database message.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** Over a quota of policies/quotas.ts; `reason` names which. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** Operation limits (gateway/limits/): refused before any subgraph is called. */
  MAX_TOKENS_EXCEEDED: 'MAX_TOKENS_EXCEEDED',
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  MAX_ROOT_FIELDS_EXCEEDED: 'MAX_ROOT_FIELDS_EXCEEDED',
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  RATE_LIMITED: 'RATE_LIMITED',
  /** Safelist mode: the operation is not registered for the caller's client. */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** graphql-js's and Apollo Server's own, kept where we parse and validate ourselves (subscriptions). */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** HTTP-level refusals, before any GraphQL. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  /** The audit trail cannot take the access record, so the patient data is not served. */
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The stable `extensions.reason` values, by the code they refine (where one code covers several
 * causes), each with what the caller should do about it. Clients and tests match them: never rename
 * one. The README's table of reasons is written from here (npm run docs:errors).
 */
export const reasons = {
  UNAUTHENTICATED: {
    UNSUPPORTED_SCHEME: 'Send the token as `Authorization: Bearer <token>`.',
    MALFORMED_TOKEN: 'Send the JWT whole, as the issuer gave it.',
    ALGORITHM_NOT_ALLOWED: 'Get a token from the trusted issuer: `none` and HMAC signatures are refused.',
    UNKNOWN_KEY: "Get a new token: the issuer no longer publishes the key that signed this one.",
    BAD_SIGNATURE: 'Get a new token from the issuer: this one was altered.',
    TOKEN_EXPIRED: 'Get a new token (no grace after `exp`).',
    TOKEN_NOT_YET_VALID: "Wait for the token's `nbf`, or set the issuer's clock right.",
    BAD_ISSUER: 'Get a token from a trusted issuer.',
    BAD_AUDIENCE: "Get a token issued for this API's audience.",
    MALFORMED_CLAIMS: 'Get a token whose claims are complete and well formed (`extensions.claim`, where given, names one that is not).',
    KEY_SET_UNAVAILABLE: "Retry shortly: the gateway could not fetch the issuer's keys.",
    INTERNAL_TOKEN_MISSING: 'Call the gateway: a subgraph answers calls from the gateway only.',
    INTERNAL_TOKEN_REJECTED: "Call the gateway; operators: give the subgraph the gateway's current public key (GATEWAY_JWKS_URL).",
  },
  FORBIDDEN: {
    SEARCH_FINER_THAN_VISIBLE: 'Search or match only by what the caller sees in full (by birthYear where it sees years, one letter where it sees initials); `extensions.field` names the criterion.',
  },
  BAD_USER_INPUT: {
    INVALID_VALUE: "Send a value of the argument's type, such as a date that exists.",
    INPUT_TOO_LONG: 'Send a shorter string (see Input limits).',
    LIST_TOO_LONG: 'Send fewer items, over several requests if need be (see Input limits).',
    INPUT_TOO_DEEP: 'Nest objects and lists less deeply (see Input limits).',
    INPUT_CONTROL_CHARACTER: 'Remove the control characters; tab, line feed and carriage return are text.',
    UNKNOWN_OPERATION: 'Set `operationName` to an operation the document holds.',
    DUPLICATE: 'Name each value once (`extensions.field` says where).',
    MERGE_WITH_ITSELF: 'Name two different patients: the survivor and the duplicate merged into it.',
    UNKNOWN_CODE: 'Use codes of the fee schedule (`extensions.codes` lists those that are not).',
    CHARGE_OF_ANOTHER_PATIENT: "Name only the patient's own charges (`extensions.chargeIds` lists the others).",
    APPROVED_EXCEEDS_TOTAL: 'Approve at most the claim total.',
    NOTHING_TO_INVOICE: 'Capture charges first: the patient has no pending charges.',
    UNKNOWN_CONSUMER_GROUP: "Name one of the service's consumer groups, as `consumerGroups` lists them.",
    UNKNOWN_ROLE: 'Sign in with one of the roles the message lists.',
    BINDING_REQUIRED: 'Send the id of the patient or organisation the role acts for.',
    JSON_POST_REQUIRED: 'Sign in with a POST whose content type is application/json.',
    INVALID_JSON: 'Send the sign-in as a JSON object.',
    MALFORMED_ROW: 'Reference data import: write the line as one CSV record or one JSON object (README, "Reference data").',
    UNKNOWN_RESOURCE_TYPE: 'Reference data import: give each row a resourceType the import reads (Practitioner, Location, Schedule, ChargeItemDefinition, Organization).',
    UNKNOWN_REFERENCE: 'Create what the input refers to first (`extensions.field` names the reference): a schedule needs its practitioner and location.',
  },
  CONFLICT: {
    SLOT_TAKEN: 'Book another slot: `availableSlots` lists the free ones.',
    SLOT_IN_PAST: 'Book a slot still to come: `availableSlots` never offers one that has started.',
    INVALID_TRANSITION: 'Read the current status and ask for a change it allows (`extensions.from` and `to`, where given).',
    IDEMPOTENCY_KEY_REUSED: 'Send a new idempotency key with a different request.',
    SCHEDULE_OVERLAP: "Change the hours or horizon so that they do not meet another schedule of the practitioner (`extensions.existingScheduleId`), or change that one.",
    DUPLICATE_PAYER: 'Use the payer already there (`extensions.existingPayerId`): it has the same name or identifier once spelling is set aside.',
    CERTAIN_DUPLICATE: 'Use the patient already registered (`extensions.existingPatientId`).',
    REVIEW_ALREADY_DECIDED: 'Nothing to do: another reviewer decided; read the review for the decision.',
    PATIENT_MERGED: 'Act on the survivor the record was merged into (`extensions.replacedBy`), or unmerge `extensions.patientId` first.',
    PATIENT_NOT_MERGED: 'Nothing to undo: the patient is not merged into another.',
    APPOINTMENT_OF_ANOTHER_PATIENT: 'Name an appointment of the same patient.',
    ENCOUNTER_NOT_COMPLETED: 'Capture charges once the encounter is completed.',
    ALREADY_CAPTURED: 'Nothing to capture again: the appointment has charges for these codes (`extensions.codes`).',
    CHARGE_VOID: 'Leave void charges off the claim (`extensions.chargeIds`).',
    ALREADY_CLAIMED: 'Leave off charges already on a claim that was not denied (`extensions.chargeIds`).',
    CHARGE_NOT_PENDING: 'Invoice only pending charges (`extensions.chargeIds` lists the others).',
    INVOICE_NOT_ISSUED: 'Post payments to an ISSUED invoice only.',
    OVERPAYMENT: 'Pay at most the balance left (`extensions.balance`).',
    ENDPOINT_DISABLED: 'Enable the endpoint (enableWebhookEndpoint) before redelivering: it delivers what was kept meanwhile.',
    RECONCILIATION_RUNNING: 'Try again once the run under way has finished.',
    ACTIVITY_STILL_OPEN: 'Report the activity done once it is marked done in Odoo.',
    MESSAGE_NOT_OF_TASK: "Report the message Odoo posted on the task's partner for this activity.",
  },
  QUOTA_EXCEEDED: {
    OPEN_APPOINTMENTS_PER_PATIENT: "Cancel or attend one of the patient's appointments to come first.",
    WEBHOOK_ENDPOINTS_PER_ORGANIZATION: "Disable one of the organisation's active endpoints first.",
    WEBHOOK_ENDPOINTS_PER_TARGET: 'Disable one of the active endpoints on that host first.',
    SUBSCRIPTIONS_PER_CALLER: 'Stop one of your subscriptions first, on any of your sockets to this gateway.',
  },
  /** Besides WORKFLOWS_NOT_RUNNING, never answered by the graph: the workflows' graph client reports these when the gateway did not answer; the step is retried. */
  UPSTREAM_UNAVAILABLE: {
    WORKFLOWS_NOT_RUNNING: 'Onboardings: the process serving the workflows subgraph runs no workflow engine (WORKFLOWS=false under `npm start`); run the workflows there, or point SUBGRAPH_WORKFLOWS_URL at `workflows/main.ts`.',
    GATEWAY_TIMEOUT: 'Workflows: the gateway did not answer in time; it is retried, look at the gateway if it lasts.',
    GATEWAY_CONNECTION_REFUSED: 'Workflows: nothing listens at GATEWAY_URL; start the gateway or set the URL right.',
    GATEWAY_HOST_NOT_FOUND: "Workflows: GATEWAY_URL's host does not resolve; set the URL right.",
    GATEWAY_CONNECTION_RESET: 'Workflows: the gateway dropped the connection; it is retried, look at the gateway if it lasts.',
    GATEWAY_UNREACHABLE: 'Workflows: the gateway could not be reached for another reason; see the worker log.',
    SERVICE_TOKEN_UNAVAILABLE: "Workflows: the identity provider did not give the service's token; look at the issuer.",
  },
} as const satisfies Partial<Record<ErrorCode, Record<string, string>>>;

/** The reasons that refine `code`: none for a code that has no reasons. */
export type ReasonOf<C extends ErrorCode> = C extends keyof typeof reasons ? keyof (typeof reasons)[C] : never;
export type AuthenticationReason = ReasonOf<'UNAUTHENTICATED'>;
export type ForbiddenReason = ReasonOf<'FORBIDDEN'>;
export type InputReason = ReasonOf<'BAD_USER_INPUT'>;
export type ConflictReason = ReasonOf<'CONFLICT'>;
export type QuotaReason = ReasonOf<'QUOTA_EXCEEDED'>;
export type UpstreamReason = ReasonOf<'UPSTREAM_UNAVAILABLE'>;
export type Reason = ReasonOf<ErrorCode>;

/** Details an error carries beside its message; `reason`, if any, one registered for its code. */
export type ErrorDetails<C extends ErrorCode = ErrorCode> = { reason?: ReasonOf<C> } & Record<string, unknown>;

/** A failure the caller can act on; becomes a GraphQL error with a stable code. */
export class DomainError<C extends ErrorCode = ErrorCode> extends GraphQLError {
  constructor(code: C, message: string, details: ErrorDetails<C> = {}) {
    super(message, { extensions: { code, ...details } });
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, details?: ErrorDetails<'BAD_USER_INPUT'>) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, details);
export const notFound = (entity: string, id: string) =>
  new DomainError(ErrorCode.NOT_FOUND, `${entity} ${id} was not found`, { entity, id });
export const conflict = (reason: ConflictReason, message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.CONFLICT, message, { reason, ...details });
export const quotaExceeded = (reason: QuotaReason, message: string, limit: number) =>
  new DomainError(ErrorCode.QUOTA_EXCEEDED, message, { reason, limit });
