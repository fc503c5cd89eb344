-- Handling times for the workload model (rebalance.HandlingTimes) read the closed cases of a
-- window; without this index every planning request would scan the whole incident table for them.
CREATE INDEX incident_closed_reported_idx ON incident (reported_at) WHERE closed_at IS NOT NULL;
