-- The trace context of the event a delivery came from: each attempt, however much later and on
-- whichever replica, is a span of the trace that announced the event.
ALTER TABLE webhook_delivery ADD COLUMN traceparent text;
