-- An event's id is unique in its outbox: a writer that derives the id (a workflow step run again
-- after a crash, on whichever replica) inserts it once, however many run at the same moment.
CREATE UNIQUE INDEX outbox_event_id ON outbox ((event->>'id'));
