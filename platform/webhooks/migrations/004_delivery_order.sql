-- The order deliveries were queued in: an enabled endpoint gets what it missed in the order its
-- events came, and two deliveries queued within one clock tick (PGlite's now() can repeat) must not
-- be handed out in the order of their random ids.
ALTER TABLE webhook_delivery ADD COLUMN queued_seq bigserial;
