-- UpgradeTest: rows for the tables the demo loader leaves empty, so that the released database
-- it upgrades has data in every table. Written against the last release's schema (the demo's
-- incidents, staff and plan must exist); when a release adds a table, add its rows here.
INSERT INTO case_timer (incident_id, step, kind, fire_at, step_due_at, escalate_at)
SELECT id, 'ACCEPT', 'OVERDUE', reported_at + interval '1 hour', reported_at + interval '1 hour',
       reported_at + interval '2 hours'
  FROM incident ORDER BY id LIMIT 5;

INSERT INTO case_exception (incident_id, kind, reason, extra_hours, requested_by, requested_at)
SELECT i.id, 'EXTENSION', 'needs a second visit', 8, (SELECT min(id) FROM staff), now()
  FROM incident i ORDER BY i.id LIMIT 3;

INSERT INTO incident_follow (incident_id, follower)
SELECT id, 'citizen-' || id FROM incident ORDER BY id LIMIT 4;

INSERT INTO job (id, kind, status, progress, params, result)
VALUES ('00000000-0000-4000-8000-000000000001', 'import', 'DONE', 1, '{"kind":"grids"}',
        '{"features":2}');

INSERT INTO import_feature (job_id, seq, code, name, kind, geom)
VALUES ('00000000-0000-4000-8000-000000000001', 1, 'G1', 'grid one', 'grid',
        ST_GeomFromText('POLYGON((120.28 30.18,120.29 30.18,120.29 30.19,120.28 30.18))', 4326)),
       ('00000000-0000-4000-8000-000000000001', 2, 'G2', 'grid two', 'grid', NULL);

INSERT INTO plan_edit (plan_id, version, op, grids, unit_ids, unit_grids)
SELECT id, 1, '{"op":"move"}', '[]', ARRAY[]::bigint[], ARRAY[]::bigint[]
  FROM grid_plan ORDER BY id LIMIT 1;

INSERT INTO revoked_token (jti, staff_id, expires_at)
SELECT 'jti-' || id, id, now() + interval '1 day' FROM staff ORDER BY id LIMIT 2;

INSERT INTO staff_position (staff_id, recorded_at, geom, accuracy_m)
SELECT id, now() - interval '5 minutes', ST_SetSRID(ST_MakePoint(120.29, 30.19), 4326), 8
  FROM staff ORDER BY id LIMIT 3;
