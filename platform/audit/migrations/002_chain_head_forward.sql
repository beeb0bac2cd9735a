-- The chain head moves only forward, and only to the hash of the row it names: an UPDATE that
-- rewinds it, or points it anywhere but at the last row, is refused. With the rows append-only,
-- cutting the tail now takes disabling triggers, which the table owner or a superuser can still
-- do; the signed anchor kept outside the table (see platform/audit/anchor.ts) is what shows it.
CREATE FUNCTION audit_head_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.last_seq < OLD.last_seq THEN
    RAISE EXCEPTION 'the audit chain head cannot move back' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.last_seq > 0 AND NOT EXISTS (SELECT 1 FROM audit_event WHERE seq = NEW.last_seq AND hash = NEW.last_hash) THEN
    RAISE EXCEPTION 'the audit chain head must name the last row' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT 1 FROM audit_event WHERE seq > NEW.last_seq) THEN
    RAISE EXCEPTION 'the audit chain head must name the last row' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE ON audit_chain_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_moves_forward();
