-- Handling times kept as cases close (issue #20, docs/planning.md "Handling time").
--
-- A rebalance job read every closed case of the window with the minimum of its ACCEPT/DISPATCH
-- events from the event log: ~58 s for the first job on 1M incidents. Each measured case (closed,
-- with an ACCEPT or DISPATCH event before closed_at) now has one narrow row here, written in the
-- transaction that changes the case or appends its events, so a job reads these rows by
-- reported_at and nothing else. Per case, not per unit: a case's factor is its hours over the
-- mean of the window (clamped), which no sum fixed in advance can give exactly.
CREATE TABLE case_handling (
    incident_id bigint PRIMARY KEY REFERENCES incident (id) ON DELETE CASCADE,
    reported_at timestamptz NOT NULL,
    category    text        NOT NULL,
    lon         double precision NOT NULL,
    lat         double precision NOT NULL,
    started_at  timestamptz NOT NULL, -- the first ACCEPT or DISPATCH event
    closed_at   timestamptz NOT NULL,
    CHECK (closed_at > started_at)
);
CREATE INDEX case_handling_reported_idx ON case_handling (reported_at);

-- The row of one case from the case itself and its events, or none when it is not measured
-- (not CLOSED, no ACCEPT/DISPATCH, closed before it started). Idempotent: every trigger below
-- calls it, in whatever order the case's update and its events arrive.
-- The type test is written so no partial index of incident_event can serve it ("type || ''"):
-- the partial indexes on (at, incident_id) and (type, at, incident_id) hold every ACCEPT, and a
-- plan probing one of them per case (stale statistics after a bulk load make it look cheap)
-- reads all ACCEPT events once per case, quadratic; by (incident_id, id) it reads the case's few.
CREATE FUNCTION case_handling_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM case_handling h USING unnest(ids) AS x (id) WHERE h.incident_id = x.id;
    INSERT INTO case_handling (incident_id, reported_at, category, lon, lat, started_at, closed_at)
    SELECT i.id, i.reported_at, i.category, ST_X(i.location), ST_Y(i.location), s.start, i.closed_at
    FROM unnest(ids) AS x (id)
    JOIN incident i ON i.id = x.id
    CROSS JOIN LATERAL (SELECT min(e.at) AS start FROM incident_event e
                        WHERE e.incident_id = i.id
                          AND (e.type || '') IN ('ACCEPT', 'DISPATCH')) s
    WHERE i.status = 'CLOSED' AND i.closed_at IS NOT NULL
      AND s.start IS NOT NULL AND i.closed_at > s.start;
$$;

CREATE FUNCTION case_handling_of_incident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM case_handling_refresh(ARRAY[NEW.id]);
    RETURN NULL;
END $$;

-- A case that closes, reopens, or whose closed time, category, place or report time changes
-- while it is (or was) closed.
CREATE TRIGGER incident_case_handling
    AFTER UPDATE OF status, closed_at, category, location, reported_at ON incident
    FOR EACH ROW
    WHEN ((OLD.status = 'CLOSED' OR NEW.status = 'CLOSED')
          AND (OLD.status IS DISTINCT FROM NEW.status
               OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
               OR OLD.category IS DISTINCT FROM NEW.category
               OR OLD.reported_at IS DISTINCT FROM NEW.reported_at
               OR NOT ST_Equals(OLD.location, NEW.location)))
    EXECUTE FUNCTION case_handling_of_incident();

-- A case inserted closed (imports, the demo) whose events are already there: once per
-- statement, so a bulk load pays one set-based refresh.
CREATE FUNCTION case_handling_of_new_incidents() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[] := ARRAY(SELECT a.id FROM added a WHERE a.status = 'CLOSED');
BEGIN
    IF cardinality(ids) > 0 THEN
        PERFORM case_handling_refresh(ids);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER incident_case_handling_insert
    AFTER INSERT ON incident REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION case_handling_of_new_incidents();

-- An ACCEPT or DISPATCH appended to a closed case (a bulk load writes events after the case):
-- once per statement, so loading a million events costs one set-based refresh.
CREATE FUNCTION case_handling_of_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[] := ARRAY(SELECT DISTINCT a.incident_id FROM added a
                          WHERE a.type IN ('ACCEPT', 'DISPATCH'));
BEGIN
    IF cardinality(ids) > 0 THEN
        PERFORM case_handling_refresh(ids);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER incident_event_case_handling
    AFTER INSERT ON incident_event REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION case_handling_of_events();

-- Once: every case measured so far, set-based (one pass over each table).
INSERT INTO case_handling (incident_id, reported_at, category, lon, lat, started_at, closed_at)
SELECT i.id, i.reported_at, i.category, ST_X(i.location), ST_Y(i.location), s.start, i.closed_at
FROM incident i
JOIN (SELECT incident_id, min(at) AS start FROM incident_event
      WHERE type IN ('ACCEPT', 'DISPATCH') GROUP BY incident_id) s ON s.incident_id = i.id
WHERE i.status = 'CLOSED' AND i.closed_at IS NOT NULL AND i.closed_at > s.start;

ANALYZE case_handling;
