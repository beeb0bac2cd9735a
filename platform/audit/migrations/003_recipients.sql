-- A delivery to several subscribers at once (one event to a group sharing one read) is one record
-- naming every subject it went to. Hashed only where present, so earlier rows still verify.
ALTER TABLE audit_event ADD COLUMN recipients text[];
CREATE INDEX audit_event_recipients ON audit_event USING gin (recipients);
