/**
 * Input limits: governance as data. The gateway refuses an input over any of them before a subgraph is
 * called, whether it came as a variable or was written in the document, with BAD_USER_INPUT, HTTP 400 and
 * the limit's reason (INPUT_TOO_LONG, LIST_TOO_LONG, INPUT_TOO_DEEP, INPUT_CONTROL_CHARACTER, registered
 * in platform/errors.ts); the message names the variable or the place in the document, never the value,
 * which may be patient data. The subgraphs check the per-field caps again, as they check every rule the
 * gateway does: a NUL byte reaching PostgreSQL is a 500, a 40-line address a record nobody can print.
 */

export interface InputLimits {
  /** Characters in any one string: ids, names, reasons, cursors, a webhook URL (2,048, as browsers allow). */
  maxStringLength: number;
  /** Items in any one list: the longest a portal screen or an Odoo batch sends (charge ids) is far below. */
  maxListLength: number;
  /** Nesting of objects and lists, the variables object being 1: the deepest input type needs 4. */
  maxDepth: number;
}

export const inputLimits: InputLimits = {
  maxStringLength: 2048,
  maxListLength: 1000,
  maxDepth: 16,
};

/** Caps of single fields, in the patients subgraph's words: what a person's record can hold. */
export const fieldLimits = {
  /** HumanName.given: first and middle names. */
  givenNames: 5,
  /** Address.line: street lines, as a postal label holds them. */
  addressLines: 4,
  /** Patient.telecom: phones and email addresses. */
  contactPoints: 10,
};

/** C0 controls and DEL, except tab, line feed and carriage return. */
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
