-- A merged patient's account in Odoo: archived while the merge is in force (the survivor's
-- partner takes the new invoices), unarchived on unmerge. Its link in partner_link stays, so its
-- earlier invoices are still reconciled.
CREATE TABLE merged_partner (
  merge_id text PRIMARY KEY,
  patient_id text NOT NULL,
  survivor_patient_id text NOT NULL,
  odoo_partner_id integer NOT NULL,
  archived_at timestamptz NOT NULL DEFAULT now()
);
