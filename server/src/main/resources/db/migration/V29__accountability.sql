-- Accountability (问责, docs/accountability.md): the discipline committee's read-only view over the
-- event log. Every use of it is kept in the admin log as kind 'accountability' (who, when, the
-- query). The kind is added to whatever kinds the constraint allows when this runs, so kinds other
-- migrations of the same release add are kept.
DO $$
DECLARE
    kinds text[];
BEGIN
    SELECT array_agg(DISTINCT m[1] ORDER BY m[1]) INTO kinds
    FROM pg_constraint c,
         regexp_matches(pg_get_constraintdef(c.oid), '''([a-z0-9_-]+)''', 'g') m
    WHERE c.conname = 'admin_log_kind_check' AND c.conrelid = 'admin_log'::regclass;
    kinds := array_append(array_remove(kinds, 'accountability'), 'accountability');
    ALTER TABLE admin_log DROP CONSTRAINT admin_log_kind_check;
    EXECUTE format(
        'ALTER TABLE admin_log ADD CONSTRAINT admin_log_kind_check CHECK (kind = ANY (%L::text[]))',
        kinds);
END $$;

-- The findings start from the few event types that hand a case on, ask for time, remind, or fail
-- a verification, in a period; this partial index finds them without reading the far more
-- numerous intake, start, resolve and comment events.
CREATE INDEX incident_event_accountability_idx ON incident_event (type, at, incident_id)
    WHERE type IN ('ACCEPT', 'TRANSFER', 'RETURN_APPROVED', 'DISTRICT_REPLY',
                   'EXTENSION_REQUESTED', 'REMINDER', 'SUPERVISION_NOTICE', 'SUPERVISE',
                   'ESCALATION', 'REWORK');
