import type { Caller } from '../../platform/caller.ts';

/**
 * Equal for subscribers every rule treats alike, who may therefore share one resolution: roles and
 * scopes (field rules), patient and organisation (row rules), purpose of use (minimization). The
 * subject is left out on purpose: sharing across a payer's or a front desk's many sessions is the point.
 */
export const callerClassOf = (caller: Caller): string =>
  JSON.stringify([[...caller.roles].sort(), [...caller.scopes].sort(), caller.patientId ?? null, caller.organizationId ?? null, caller.purposeOfUse ?? null]);
