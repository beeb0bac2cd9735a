import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../../platform/events/catalog.ts';
import { domainEvent } from '../../platform/events/envelope.ts';

describe('the event catalog', () => {
  it('names every event in versioned reverse-DNS style and says what it means', () => {
    for (const [type, entry] of Object.entries(eventCatalog)) {
      expect(type).toMatch(/^org\.healthgraph\.[a-z]+\.[a-z_]+\.v\d+$/);
      expect(entry.meaning).toMatch(/\.$/);
    }
    expect(Object.keys(eventCatalog).map((type) => type.split('.').slice(2, 4).join('.'))).toEqual([
      'patient.registered',
      'patient.updated',
      'patient.merged',
      'patient.unmerged',
      'coverage.added',
      'consent.recorded',
      'appointment.booked',
      'appointment.confirmed',
      'appointment.cancelled',
      'appointment.rescheduled',
      'appointment.checked_in',
      'encounter.completed',
      'appointment.no_show',
      'charge.captured',
      'charge.voided',
      'claim.submitted',
      'claim.adjudicated',
      'invoice.issued',
      'payment.posted',
      'invoice.updated',
      'odoo.payment_registered',
      'reconciliation.mismatch_found',
      'odoo.activity_done',
      'odoo.sync_failed',
      'onboarding.changed',
    ]);
  });

  it('routes by patient and payer organisation without reading data', () => {
    const event = domainEvent('org.healthgraph.claim.adjudicated.v1', { claimId: 'clm-1', patientId: 'pat-1', payerId: 'org-9', outcome: 'PAID' }, 12);
    expect(event).toMatchObject({
      source: '/subgraphs/billing',
      subject: 'Claim/clm-1',
      patientid: 'pat-1',
      organizationid: 'org-9',
      aggregateid: 'clm-1',
      sequence: '0000000012',
    });
    const withoutPayer = domainEvent('org.healthgraph.patient.registered.v1', { patientId: 'pat-2' }, 1);
    expect(withoutPayer).not.toHaveProperty('organizationid');
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });
});
