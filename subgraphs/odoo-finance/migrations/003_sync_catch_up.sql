-- The sync catches up from these records, not from the event log: an invoice not yet synced, or
-- with billing payments Odoo does not have, is pushed again (on start, then periodically).
-- pushing_until is a short lease, so the event handler and the catch-up (of any replica) never
-- push one invoice at once: both look in Odoo before they create, but not atomically.
ALTER TABLE invoice_link ADD COLUMN pushing_until timestamptz;
CREATE INDEX invoice_link_unsynced ON invoice_link (invoice_id) WHERE synced_at IS NULL;
