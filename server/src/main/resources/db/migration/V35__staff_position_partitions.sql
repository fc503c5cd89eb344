-- Patrol positions grow without end (60 workers at a point every 30 s is some 17 M rows a month
-- in a district): staff_position becomes partitioned by month of recorded_at (UTC months), so a
-- track, coverage or gaps query reads only the months it names, and a month can be archived and
-- dropped as one table (scripts/admin archive, docs/partitions.md). Same columns, primary key,
-- indexes and foreign key as V5; no table references it and it has no triggers.
ALTER TABLE staff_position RENAME TO staff_position_v5;
ALTER INDEX staff_position_pkey RENAME TO staff_position_v5_pkey;
ALTER INDEX staff_position_geom_gix RENAME TO staff_position_v5_geom_gix;
ALTER INDEX staff_position_time_idx RENAME TO staff_position_v5_time_idx;

-- The keys and indexes come after the rows are copied (one index build per month, not a million
-- index insertions).
CREATE TABLE staff_position (
    staff_id     bigint NOT NULL,
    recorded_at  timestamptz NOT NULL,
    geom         geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    accuracy_m   real CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
    received_at  timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (recorded_at);

-- A position no month's partition takes (a phone clock years off, a late upload for a month
-- already archived) is kept here rather than refused: the upload is one statement and must not
-- fail as a whole for one bad point. staff_position_maintain moves what it can into months.
CREATE TABLE staff_position_default PARTITION OF staff_position DEFAULT;

-- The partition of one month, named staff_position_yYYYYmMM, bounds at 00:00 UTC. Rows of that
-- month waiting in the DEFAULT partition are moved into it first (ATTACH refuses otherwise). It is
-- created apart and attached, which locks the root less than CREATE … PARTITION OF (readers and
-- writers go on). Returns false when the month's table already exists. The owner only.
CREATE FUNCTION staff_position_ensure_month(in_month date) RETURNS boolean
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    m0 date := date_trunc('month', in_month)::date;
    lo timestamptz := m0::timestamp AT TIME ZONE 'UTC';
    hi timestamptz := (m0 + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    part text := 'staff_position_' || to_char(m0, '"y"YYYY"m"MM');
BEGIN
    -- one creator at a time across instances; a second finds the table and does nothing
    PERFORM pg_advisory_xact_lock(hashtext('staff_position partitions'));
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE staff_position INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
    EXECUTE format('WITH moved AS (DELETE FROM staff_position_default WHERE recorded_at >= $1 AND recorded_at < $2 RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', part) USING lo, hi;
    EXECUTE format('ALTER TABLE staff_position ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
    RETURN true;
END $$;
REVOKE ALL ON FUNCTION staff_position_ensure_month(date) FROM PUBLIC;

-- The daily upkeep (db/Partitions, run by every instance; the lock makes it one at a time): the
-- partitions of this month and the next months_ahead exist, and strays in DEFAULT from any month
-- between the oldest partition and that horizon get their month. Strays older than the oldest
-- partition (archived months) or beyond the horizon stay in DEFAULT, counted. SECURITY DEFINER:
-- the server's role owns nothing and may not create tables (docs/deployment.md); this is the one
-- DDL it can cause, and only for these months. db/Grants lets the server's role execute it.
CREATE FUNCTION staff_position_maintain(months_ahead int, OUT created text[], OUT left_in_default bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    horizon timestamptz;
    oldest date;
    m date;
BEGIN
    IF months_ahead IS NULL OR months_ahead NOT BETWEEN 0 AND 12 THEN
        RAISE EXCEPTION 'months_ahead must be 0 to 12, not %', months_ahead;
    END IF;
    created := '{}';
    horizon := (this_month + (months_ahead + 1) * interval '1 month')::timestamp AT TIME ZONE 'UTC';
    PERFORM pg_advisory_xact_lock(hashtext('staff_position partitions'));
    FOR m IN SELECT (this_month + k * interval '1 month')::date FROM generate_series(0, months_ahead) k LOOP
        IF staff_position_ensure_month(m) THEN
            created := created || ('staff_position_' || to_char(m, '"y"YYYY"m"MM'));
        END IF;
    END LOOP;
    SELECT min(to_date(substr(c.relname, 16), '"y"YYYY"m"MM')) INTO oldest
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'staff_position'::regclass AND c.relname ~ '^staff_position_y[0-9]{4}m[0-9]{2}$';
    FOR m IN SELECT DISTINCT date_trunc('month', recorded_at AT TIME ZONE 'UTC')::date FROM staff_position_default
             WHERE recorded_at >= oldest::timestamp AT TIME ZONE 'UTC' AND recorded_at < horizon ORDER BY 1 LOOP
        IF staff_position_ensure_month(m) THEN
            created := created || ('staff_position_' || to_char(m, '"y"YYYY"m"MM'));
        END IF;
    END LOOP;
    SELECT count(*) INTO left_in_default FROM staff_position_default;
END $$;
REVOKE ALL ON FUNCTION staff_position_maintain(int) FROM PUBLIC;

-- A month for every month the rows fall in, and this month and the next three.
SELECT staff_position_ensure_month(m)
FROM (SELECT DISTINCT date_trunc('month', recorded_at AT TIME ZONE 'UTC')::date AS m FROM staff_position_v5
      UNION
      SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + k * interval '1 month')::date FROM generate_series(0, 3) k) months
ORDER BY m;

INSERT INTO staff_position (staff_id, recorded_at, geom, accuracy_m, received_at)
SELECT staff_id, recorded_at, geom, accuracy_m, received_at FROM staff_position_v5;
DROP TABLE staff_position_v5;

ALTER TABLE staff_position ADD PRIMARY KEY (staff_id, recorded_at);
ALTER TABLE staff_position ADD FOREIGN KEY (staff_id) REFERENCES staff (id);
CREATE INDEX staff_position_geom_gix ON staff_position USING gist (geom);
CREATE INDEX staff_position_time_idx ON staff_position (recorded_at);
-- autovacuum never analyzes a partitioned root: without this the planner guesses until the first
-- manual ANALYZE (the partitions are analyzed here too)
ANALYZE staff_position;
