-- When invoice.issued reached the sync: how long an invoice has waited for Odoo (issued_on is a date).
ALTER TABLE invoice_link ADD COLUMN announced_at timestamptz NOT NULL DEFAULT now();
