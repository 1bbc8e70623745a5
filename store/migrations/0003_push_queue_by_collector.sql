-- The push workers' claim looks at the collectors that have a push endpoint, few in a province,
-- and for each walks its undelivered deliveries in order. The index of 0002 ordered every pending
-- delivery by due time, those waiting for pull included, so each claim walked all of them.
DROP INDEX deliveries_push_due;
CREATE INDEX deliveries_push_queue ON deliveries (target_code, seq)
  WHERE state = 'pending' AND dead_lettered_at IS NULL;
