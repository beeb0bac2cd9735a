// The README's example operations, as the explorer's tabs: each runs as written once signed in as
// the role its first line names (test/pages/explorer-examples.test.ts runs every one).

const DAY = 86_400_000;

/** The tabs, with time windows around `now` (the demo calendar moves with today). */
export function exampleOperations(now) {
  const at = (offset) => new Date(now.getTime() + offset).toISOString();
  return [
    {
      role: 'front_desk',
      query: `# Sign in as front_desk. A patient with their appointments, each appointment's
# practitioner and charges, and what they owe, answered by three subgraphs.
query Patient($id: ID!) {
  patient(id: $id) {
    mrn
    name { text }
    appointments { start status practitioner { name { text } } charges { code amount { value } } }
    balance { value currency }
  }
}`,
      variables: { id: 'pat-0001' },
    },
    {
      role: 'front_desk',
      query: `# Sign in as front_desk. Find patients: name prefix, birth date or any identifier; cursor pagination.
query FindPatients {
  patients(search: { name: "smi" }, first: 10) {
    edges { cursor node { id name { text } birthDate } }
    pageInfo { hasNextPage endCursor }
  }
}`,
      variables: {},
    },
    {
      role: 'front_desk',
      query: `# Sign in as front_desk. Free slots in the coming week; book one with bookAppointment(slotId: …).
query AvailableSlots($from: DateTime!, $to: DateTime!) {
  availableSlots(filter: { serviceType: "cardiology" }, from: $from, to: $to, first: 5) {
    id start practitioner { name { text } }
  }
}`,
      variables: { from: at(0), to: at(7 * DAY) },
    },
    {
      role: 'billing_specialist',
      query: `# Sign in as billing_specialist. Bill what the patient owes (the same key answers the first result again).
mutation IssueInvoice {
  issueInvoice(patientId: "pat-0001", idempotencyKey: "i-1") {
    id number total { value } balance { value }
    odooInvoice { number state }
  }
}`,
      variables: {},
    },
    {
      role: 'auditor',
      query: `# Sign in as auditor. Who saw this patient's data in the last day (reading the trail is itself on record).
query AuditTrail($from: DateTime!, $to: DateTime!) {
  auditTrail(patientId: "pat-0001", from: $from, to: $to) {
    at subject clientId purposeOfUse fieldsReturned fieldsDenied outcome
  }
}`,
      variables: { from: at(-DAY), to: at(60_000) },
    },
  ];
}
