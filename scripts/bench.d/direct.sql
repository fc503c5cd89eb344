-- pgbench: the same write as intake (incident row + its REPORTED event, one statement, one
-- commit), straight into PostgreSQL, with routing already decided.
\set gid random(:gmin, :gmax)
\set jitter random(0, 1000000)
WITH new_incident AS (
    INSERT INTO incident (status, version, category, channel, description, location, reported_at, jurisdiction,
                          plan_id, grid_id, community_id, platform, assignee_id, due_at, idempotency_key, request_hash)
    VALUES ('REPORTED', 1, :cat, 'HOTLINE', 'bench',
            ST_SetSRID(ST_MakePoint(:lon::float8 + :jitter::float8 * 1e-10, :lat::float8), 4326), now(), 'SUBDISTRICT',
            :plan, :gid, :community, 'ENFORCEMENT', NULL, now() + interval '24 hours',
            md5(random()::text || clock_timestamp()::text), md5(random()::text))
    RETURNING id, received_at)
INSERT INTO incident_event (incident_id, at, type, from_status, to_status, data)
SELECT id, received_at, 'REPORTED', NULL, 'REPORTED', '{"channel": "HOTLINE"}'::jsonb FROM new_incident;
