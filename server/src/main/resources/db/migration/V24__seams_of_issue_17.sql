-- Seams between the slices of issue #17.

-- A report queued for placement keeps the reporter's e-mail and whether they are to be told of
-- their case, so that the case it becomes has the contact (reporter_contact) intake gives it.
-- Erased with the name and phone once placed, or by the retention job while it waits.
ALTER TABLE placement
    ADD COLUMN reporter_email  text,
    ADD COLUMN notify_reporter boolean NOT NULL DEFAULT false,
    -- the answers to an Open311 service's questions, for the case's REPORTED event
    ADD COLUMN extra           jsonb;

-- The hotline's FINISH (办结) feedback carries the case's result photos (stages AFTER and
-- VERIFICATION, V19's media) instead of V21's empty list. Otherwise as V21.
CREATE OR REPLACE FUNCTION work_order_feedback_of_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    w record;
    k text;
    reason text;
    result text;
    photos jsonb;
BEGIN
    k := CASE
        WHEN NEW.type IN ('ACCEPT', 'MERGE') THEN 'SIGN'
        WHEN NEW.type IN ('REJECT', 'RETURN_APPROVED') THEN 'RETURN'
        WHEN NEW.type = 'EXTENSION_REQUESTED' THEN 'DELAY'
        WHEN NEW.type = 'CLOSE' THEN 'FINISH'
    END;
    IF NEW.type = 'RETURN_APPROVED' THEN
        SELECT x.reason INTO reason FROM case_exception x WHERE x.id = (NEW.data ->> 'exceptionId')::bigint;
    ELSIF NEW.type = 'REJECT' THEN
        -- the operator's words; the code (INVALID, DUPLICATE) when they wrote none
        reason := coalesce(NEW.note, NEW.data ->> 'reason');
    ELSE
        reason := coalesce(NEW.data ->> 'reason', NEW.note);
    END IF;
    IF k = 'FINISH' THEN
        SELECT e.note INTO result FROM incident_event e
        WHERE e.incident_id = NEW.incident_id AND e.type = 'RESOLVE' ORDER BY e.id DESC LIMIT 1;
        result := coalesce(result, NEW.note);
        -- the result photos; the hotline fetches each with its account (the media route's rules)
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'id', m.id,
                   'url', '/api/v1/media/' || m.id,
                   'sha256', m.sha256,
                   'contentType', m.content_type) ORDER BY m.id), '[]'::jsonb)
        INTO photos
        FROM media m WHERE m.incident_id = NEW.incident_id AND m.stage IN ('AFTER', 'VERIFICATION');
    END IF;
    FOR w IN
        SELECT o.id, o.source_system, o.external_no, o.incident_id
        FROM work_order o WHERE o.incident_id = NEW.incident_id
        UNION ALL
        SELECT o.id, o.source_system, o.external_no, o.incident_id
        FROM incident d JOIN work_order o ON o.incident_id = d.id
        WHERE k <> 'SIGN' AND d.duplicate_of = NEW.incident_id
    LOOP
        -- signed for once: a later acceptance (after a return) is no news to the hotline
        CONTINUE WHEN k = 'SIGN' AND EXISTS (
            SELECT 1 FROM outbox f
            WHERE f.incident_id = w.incident_id AND f.channel = 'HOTLINE' AND f.kind = 'SIGN');
        INSERT INTO outbox (channel, kind, incident_id, event_id, payload)
        VALUES ('HOTLINE', k, w.incident_id, NEW.id, jsonb_strip_nulls(jsonb_build_object(
            'sourceSystem', w.source_system,
            'orderNo', w.external_no,
            'type', k,
            'time', to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            'caseNo', w.incident_id,
            'mergedInto', CASE WHEN NEW.incident_id <> w.incident_id THEN NEW.incident_id
                               WHEN NEW.type = 'MERGE' THEN (NEW.data ->> 'originalId')::bigint END,
            'dept', (SELECT i.platform FROM incident i WHERE i.id = NEW.incident_id),
            'handler', (SELECT s.name FROM staff s WHERE s.id = NEW.actor_id),
            'reason', CASE WHEN k IN ('RETURN', 'DELAY') THEN reason END,
            'delayHours', CASE WHEN k = 'DELAY' THEN (NEW.data ->> 'extraHours')::int END,
            'result', CASE WHEN k = 'FINISH' THEN result END,
            'photos', CASE WHEN k = 'FINISH' THEN photos END)));
    END LOOP;
    RETURN NULL;
END $$;
