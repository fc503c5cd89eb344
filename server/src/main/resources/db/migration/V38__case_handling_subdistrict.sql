-- The measured handling times of one subdistrict (issue #20): a rebalance job weighs a plan by
-- its own subdistrict's closed cases, read by (subdistrict_id, reported_at) instead of every
-- subdistrict's year of cases (docs/planning.md#workload-model). The column follows the case's
-- subdistrict_id (V31, set from its community), so a case moved to another subdistrict moves its
-- row.
ALTER TABLE case_handling ADD COLUMN subdistrict_id bigint;

UPDATE case_handling h SET subdistrict_id = i.subdistrict_id
FROM incident i WHERE i.id = h.incident_id AND i.subdistrict_id IS NOT NULL;

CREATE INDEX case_handling_subdistrict_idx ON case_handling (subdistrict_id, reported_at);

CREATE OR REPLACE FUNCTION case_handling_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM case_handling h USING unnest(ids) AS x (id) WHERE h.incident_id = x.id;
    INSERT INTO case_handling (incident_id, reported_at, category, lon, lat, started_at, closed_at,
                               subdistrict_id)
    SELECT i.id, i.reported_at, i.category, ST_X(i.location), ST_Y(i.location), s.start, i.closed_at,
           i.subdistrict_id
    FROM unnest(ids) AS x (id)
    JOIN incident i ON i.id = x.id
    CROSS JOIN LATERAL (SELECT min(e.at) AS start FROM incident_event e
                        WHERE e.incident_id = i.id
                          AND (e.type || '') IN ('ACCEPT', 'DISPATCH')) s
    WHERE i.status = 'CLOSED' AND i.closed_at IS NOT NULL
      AND s.start IS NOT NULL AND i.closed_at > s.start;
$$;

DROP TRIGGER incident_case_handling ON incident;
CREATE TRIGGER incident_case_handling
    AFTER UPDATE OF status, closed_at, category, location, reported_at, community_id, subdistrict_id
    ON incident
    FOR EACH ROW
    WHEN ((OLD.status = 'CLOSED' OR NEW.status = 'CLOSED')
          AND (OLD.status IS DISTINCT FROM NEW.status
               OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
               OR OLD.category IS DISTINCT FROM NEW.category
               OR OLD.reported_at IS DISTINCT FROM NEW.reported_at
               OR OLD.subdistrict_id IS DISTINCT FROM NEW.subdistrict_id
               OR NOT ST_Equals(OLD.location, NEW.location)))
    EXECUTE FUNCTION case_handling_of_incident();

ANALYZE case_handling;
