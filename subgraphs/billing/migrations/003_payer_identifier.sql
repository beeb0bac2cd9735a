-- A payer's own identifier (payer id, tax id...), beside its name: both are checked for duplicates.
ALTER TABLE payer ADD COLUMN identifier text;
