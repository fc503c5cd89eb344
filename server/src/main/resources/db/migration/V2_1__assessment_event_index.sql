-- Assessment reads only the events that end or supervise a step; this partial index lets it skip
-- the far more numerous intake and import events (docs/assessment.md).
CREATE INDEX incident_event_assessed_idx ON incident_event (at, incident_id)
    WHERE type IN ('ACCEPT', 'DISPATCH', 'REWORK', 'SUPERVISION_NOTICE', 'ESCALATE', 'ESCALATION', 'ESCALATED', 'RESOLVE');
