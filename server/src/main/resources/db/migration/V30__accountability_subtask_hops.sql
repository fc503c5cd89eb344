-- Accountability counts a coordinated case's subtask reassigned (SUBTASK_REASSIGNED, V27) as a
-- hop of a case passed back and forth (docs/accountability.md). The partial index of V29 finds
-- the period's events of the few types the findings start from; it is rebuilt with that type so
-- the passed-back query still reads through it rather than the whole event table.
DROP INDEX incident_event_accountability_idx;
CREATE INDEX incident_event_accountability_idx ON incident_event (type, at, incident_id)
    WHERE type IN ('ACCEPT', 'TRANSFER', 'RETURN_APPROVED', 'DISTRICT_REPLY',
                   'EXTENSION_REQUESTED', 'REMINDER', 'SUPERVISION_NOTICE', 'SUPERVISE',
                   'ESCALATION', 'REWORK', 'SUBTASK_REASSIGNED');
