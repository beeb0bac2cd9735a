/** The portal's screens, as the bench's virtual users ask for them. */

/** A patient's chart header: appointments with their practitioner and charges, and the balance. */
export const patientOverview = /* GraphQL */ `
  query PatientOverview($id: ID!) {
    patient(id: $id) {
      id
      mrn
      name { text }
      birthDate
      appointments {
        id
        start
        status
        serviceType
        practitioner { id name { text } }
        charges { code description amount { value currency } }
      }
      balance { value currency }
    }
  }
`;

/** A practitioner's day, each appointment with its patient's name. */
export const daySchedule = /* GraphQL */ `
  query DaySchedule($id: ID!, $date: Date!) {
    practitioner(id: $id) {
      id
      name { text }
      specialty
      schedule(date: $date) {
        id
        start
        end
        status
        serviceType
        patient { id name { text } }
      }
    }
  }
`;

/** A patient's billing statement: invoices with their lines and what is left to pay. */
export const billingStatement = /* GraphQL */ `
  query BillingStatement($id: ID!) {
    patient(id: $id) {
      id
      name { text }
      invoices {
        number
        status
        issuedAt
        dueDate
        lines { description amount { value } }
        total { value currency }
        balance { value currency }
      }
      balance { value currency }
    }
  }
`;

/** One subgraph only (patients): the overhead of a gateway over a direct call. */
export const patientCard = /* GraphQL */ `
  query PatientCard($id: ID!) {
    patient(id: $id) {
      id
      mrn
      name { family given text }
      birthDate
      gender
    }
  }
`;
