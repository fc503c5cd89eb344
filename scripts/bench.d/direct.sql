-- pgbench: the same write as intake (the key's claim, the incident row, its REPORTED event and the acceptance
-- step's timer, one statement, one commit), straight into PostgreSQL, with routing and
-- deadlines already decided.
\set gid random(:gmin, :gmax)
\set jitter random(0, 1000000)
WITH claim AS (
    -- the Idempotency-Key, as intake claims it (V36)
    INSERT INTO incident_idempotency (key, incident_id)
    VALUES (md5(random()::text || clock_timestamp()::text), nextval('incident_id_seq'))
    RETURNING key, incident_id),
new_incident AS (
    INSERT INTO incident (id, status, version, category, channel, description, location, reported_at, jurisdiction,
                          plan_id, grid_id, community_id, platform, assignee_id, due_at, idempotency_key, request_hash,
                          urgency, step, step_due_at)
    SELECT claim.incident_id, 'REPORTED', 1, :cat, 'HOTLINE', 'bench',
            ST_SetSRID(ST_MakePoint(:lon::float8 + :jitter::float8 * 1e-10, :lat::float8), 4326), now(), 'SUBDISTRICT',
            :plan::bigint, :gid::bigint, :community::bigint, 'ENFORCEMENT', NULL::bigint, now() + interval '24 hours',
            claim.key, md5(random()::text),
            'NORMAL', 'ACCEPT', now() + interval '2 hours'
    FROM claim
    RETURNING id, received_at),
events AS (
    INSERT INTO incident_event (incident_id, at, type, from_status, to_status, data)
    SELECT id, received_at, 'REPORTED', NULL, 'REPORTED', '{"channel": "HOTLINE"}'::jsonb FROM new_incident)
INSERT INTO case_timer (incident_id, step, kind, fire_at, step_due_at, escalate_at)
SELECT id, 'ACCEPT', 'REMIND', now() + interval '1 hour', now() + interval '2 hours', now() + interval '4 hours' FROM new_incident;
