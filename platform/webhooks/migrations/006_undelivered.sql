-- Operations list the deliveries not delivered (failing ones among them) across every endpoint;
-- delivered ones, nearly all of them, are left out of the index.
CREATE INDEX webhook_delivery_undelivered ON webhook_delivery (queued_seq) WHERE status <> 'delivered';
CREATE INDEX webhook_attempt_delivery ON webhook_attempt (delivery_id, seq);
