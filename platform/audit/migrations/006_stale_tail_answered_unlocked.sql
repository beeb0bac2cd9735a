-- A writer whose tail another writer has moved (the other gateway workers or replicas, nearly every
-- time they take turns) is answered the head without taking its lock: it rehashes its rows and comes
-- back holding nothing, rather than holding the head across that round trip while the others wait.
-- The head is read again under its lock before anything is written, so a move in between is still
-- answered as before.
CREATE OR REPLACE FUNCTION audit_append(after_seq bigint, after_hash text, new_rows jsonb)
RETURNS TABLE (last_seq bigint, last_hash text) LANGUAGE plpgsql AS $$
DECLARE
  head audit_chain_head;
  tail_seq bigint;
  tail_hash text;
BEGIN
  SELECT * INTO head FROM audit_chain_head;
  IF head.last_seq <> after_seq OR head.last_hash <> after_hash OR jsonb_array_length(new_rows) = 0 THEN
    RETURN QUERY SELECT head.last_seq, head.last_hash;
    RETURN;
  END IF;
  SELECT * INTO head FROM audit_chain_head FOR UPDATE;
  IF head.last_seq <> after_seq OR head.last_hash <> after_hash THEN
    RETURN QUERY SELECT head.last_seq, head.last_hash;
    RETURN;
  END IF;
  INSERT INTO audit_event SELECT * FROM jsonb_populate_recordset(NULL::audit_event, new_rows);
  SELECT (r ->> 'seq')::bigint, r ->> 'hash' INTO tail_seq, tail_hash FROM jsonb_array_elements(new_rows) AS r ORDER BY (r ->> 'seq')::bigint DESC LIMIT 1;
  UPDATE audit_chain_head SET last_seq = tail_seq, last_hash = tail_hash;
  RETURN QUERY SELECT tail_seq, tail_hash;
END
$$;
