-- An append in one round trip: the writer names the tail it computed its hashes from, and the
-- function locks the head, checks it is still that tail, inserts the rows and moves the head, all
-- in the statement's own transaction. Five round trips a batch (BEGIN, SELECT ... FOR UPDATE,
-- INSERT, UPDATE, COMMIT) were most of the gateway's database work under load. When another
-- writer appended first, nothing is written and the head is answered, for the writer to rehash
-- its rows after it and try again. The head's trigger still checks every move.
CREATE FUNCTION audit_append(after_seq bigint, after_hash text, new_rows jsonb)
RETURNS TABLE (last_seq bigint, last_hash text) LANGUAGE plpgsql AS $$
DECLARE
  head audit_chain_head;
  tail_seq bigint;
  tail_hash text;
BEGIN
  SELECT * INTO head FROM audit_chain_head FOR UPDATE;
  IF head.last_seq <> after_seq OR head.last_hash <> after_hash OR jsonb_array_length(new_rows) = 0 THEN
    RETURN QUERY SELECT head.last_seq, head.last_hash;
    RETURN;
  END IF;
  INSERT INTO audit_event SELECT * FROM jsonb_populate_recordset(NULL::audit_event, new_rows);
  SELECT (r ->> 'seq')::bigint, r ->> 'hash' INTO tail_seq, tail_hash FROM jsonb_array_elements(new_rows) AS r ORDER BY (r ->> 'seq')::bigint DESC LIMIT 1;
  UPDATE audit_chain_head SET last_seq = tail_seq, last_hash = tail_hash;
  RETURN QUERY SELECT tail_seq, tail_hash;
END
$$;
