-- The writer sends each append as a statement of its own (one round trip on a request's path), so
-- once it is sent nothing can take its rows back: a request whose records it holds is waited for.
-- That wait is bounded here: the writer names how long the statement may wait for the trail's
-- locks (another session holding the tables, a replica holding the head), and a wait beyond it is
-- an error, nothing written, the request then refused at its deadline. NULL: no bound of its own.
-- Replaces the three-argument function; a replica still calling it that way gets the default.
DROP FUNCTION audit_append(bigint, text, jsonb);
CREATE FUNCTION audit_append(after_seq bigint, after_hash text, new_rows jsonb, lock_wait_ms integer DEFAULT NULL)
RETURNS TABLE (last_seq bigint, last_hash text) LANGUAGE plpgsql AS $$
DECLARE
  head audit_chain_head;
  tail_seq bigint;
  tail_hash text;
BEGIN
  -- Local to the statement's own transaction; set before the first lock is asked for.
  IF lock_wait_ms IS NOT NULL THEN
    PERFORM set_config('lock_timeout', greatest(lock_wait_ms, 1) || 'ms', true);
  END IF;
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
