-- incident partitioned by month of receipt (issue #20, docs/partitions.md): RANGE (id), one
-- partition a month whose range starts at the first id received that month; the newest is open
-- (up to MAXVALUE), so an insert never lacks a partition. id stays the primary key, so every
-- foreign key to incident (id) stays as it was, and ids stay dense (analytics/IncidentPoints keeps
-- one slot per id). At a month's turn incident_partitions_roll() closes the open partition at the
-- next id and opens the new month's.
--
-- The global UNIQUE (idempotency_key) cannot stay on a partitioned table (a unique key must hold
-- the partition key): exactly-once intake now rests on incident_idempotency (key PRIMARY KEY),
-- written in the same statement as the incident. incident.idempotency_key stays, a plain column.
--
-- incident_event is not partitioned yet (docs/partitions.md says why).

ALTER TABLE incident RENAME TO incident_unpartitioned;

-- what the old table had that the new one must have again, by name
CREATE TEMP TABLE v36_kept ON COMMIT DROP AS
SELECT 'index' AS kind, i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def,
       NULL::text AS rel
FROM pg_index i
WHERE i.indrelid = 'incident_unpartitioned'::regclass
  AND NOT i.indisprimary
  AND i.indexrelid <> 'incident_idempotency_key_key'::regclass
UNION ALL
SELECT 'fk', c.conname, pg_get_constraintdef(c.oid), c.conrelid::regclass::text
FROM pg_constraint c
WHERE c.contype = 'f' AND (c.confrelid = 'incident_unpartitioned'::regclass
                           OR c.conrelid = 'incident_unpartitioned'::regclass)
UNION ALL
SELECT 'trigger', t.tgname, pg_get_triggerdef(t.oid), NULL
FROM pg_trigger t
WHERE t.tgrelid = 'incident_unpartitioned'::regclass AND NOT t.tgisinternal;

CREATE TEMP TABLE v36_seq ON COMMIT DROP AS
SELECT last_value, is_called FROM incident_id_seq;

-- columns, defaults, NOT NULL and CHECK constraints as they were; indexes, keys and triggers below
CREATE TABLE incident (LIKE incident_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                       INCLUDING STORAGE INCLUDING COMMENTS)
    PARTITION BY RANGE (id);

-- one partition per month of receipt that holds rows, from the month's first id (a month whose
-- first id is not above the previous month's start joins that month: only back-filled rows);
-- the newest, this month's, is open-ended
DO $$
DECLARE
    m record;
    starts bigint[] := '{}';
    months date[] := '{}';
    next_id bigint := (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM v36_seq);
    this_month date := date_trunc('month', now())::date;
BEGIN
    FOR m IN SELECT date_trunc('month', received_at)::date AS month, min(id) AS first_id
             FROM incident_unpartitioned GROUP BY 1 ORDER BY 1 LOOP
        IF cardinality(starts) = 0 OR m.first_id > starts[cardinality(starts)] THEN
            starts := starts || m.first_id;
            months := months || m.month;
        END IF;
    END LOOP;
    IF cardinality(months) = 0 OR months[cardinality(months)] < this_month THEN
        starts := starts || greatest(next_id, (SELECT max(id) + 1 FROM incident_unpartitioned));
        months := months || this_month;
    END IF;
    FOR k IN 1 .. cardinality(starts) LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF incident FOR VALUES FROM (%s) TO (%s)',
                       'incident_' || to_char(months[k], 'YYYY_MM'),
                       CASE WHEN k = 1 THEN 'MINVALUE' ELSE starts[k]::text END,
                       CASE WHEN k = cardinality(starts) THEN 'MAXVALUE' ELSE starts[k + 1]::text END);
    END LOOP;
END $$;

INSERT INTO incident SELECT * FROM incident_unpartitioned;

-- the foreign keys to the old table go with it; those of the new one are added below
DO $$
DECLARE k record;
BEGIN
    FOR k IN SELECT * FROM v36_kept WHERE kind = 'fk' AND rel <> 'incident_unpartitioned' LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', k.rel, k.name);
    END LOOP;
END $$;
DROP TABLE incident_unpartitioned;  -- with its identity sequence

CREATE SEQUENCE incident_id_seq OWNED BY incident.id;
SELECT setval('incident_id_seq', last_value, is_called) FROM v36_seq;
ALTER TABLE incident ALTER COLUMN id SET DEFAULT nextval('incident_id_seq');

ALTER TABLE incident ADD PRIMARY KEY (id);
DO $$
DECLARE k record;
BEGIN
    FOR k IN SELECT * FROM v36_kept WHERE kind = 'index' LOOP
        EXECUTE regexp_replace(k.def, ' ON (public\.)?incident_unpartitioned ', ' ON public.incident ');
    END LOOP;
    -- foreign keys from and to incident (the old table's own to itself, duplicate_of, too)
    FOR k IN SELECT * FROM v36_kept WHERE kind = 'fk' LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s',
                       CASE WHEN k.rel = 'incident_unpartitioned' THEN 'incident' ELSE k.rel END,
                       k.name,
                       regexp_replace(k.def, 'REFERENCES (public\.)?incident_unpartitioned\(', 'REFERENCES incident('));
    END LOOP;
    -- after the copy, so that the rows copied fire none of them
    FOR k IN SELECT * FROM v36_kept WHERE kind = 'trigger' LOOP
        EXECUTE regexp_replace(k.def, ' ON (public\.)?incident_unpartitioned ', ' ON public.incident ');
    END LOOP;
END $$;

-- exactly-once intake: an Idempotency-Key names one incident, whatever partition holds it
CREATE TABLE incident_idempotency (
    key         text PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incident (id) ON DELETE CASCADE
);
CREATE INDEX incident_idempotency_incident_idx ON incident_idempotency (incident_id);
INSERT INTO incident_idempotency (key, incident_id)
SELECT idempotency_key, id FROM incident WHERE idempotency_key IS NOT NULL;

-- At a month's turn: the open partition is closed at the next id and the month of `at` gets
-- the new open one (a month without a case: the open partition is renamed). Does nothing when
-- `at`'s month has its partition or is older than the open one; returns the partitions made.
-- A partition that rows of other tables reference cannot be detached (PostgreSQL checks every
-- referencing row), so the foreign keys to incident are dropped for the moment of the split and
-- put back NOT VALID (the self-reference duplicate_of, on a partitioned table, valid: a scan of
-- its partial index); incident_partitions_validate() validates them after, without blocking
-- writes. Under an exclusive lock on incident: intake waits for a scan of the closed month's
-- ids. SECURITY DEFINER: the server's role may write rows but not change tables.
CREATE FUNCTION incident_partitions_roll(at timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    want date := date_trunc('month', at)::date;
    part text := 'incident_' || to_char(want, 'YYYY_MM');
    cur record;
    next_id bigint;
    empty boolean;
    fk record;
    fks_name text[] := '{}';
    fks_rel regclass[] := '{}';
    fks_def text[] := '{}';
BEGIN
    IF to_regclass(part) IS NOT NULL THEN
        RETURN 0;
    END IF;
    LOCK TABLE incident IN ACCESS EXCLUSIVE MODE;
    IF to_regclass(part) IS NOT NULL THEN  -- another instance made it while this one waited
        RETURN 0;
    END IF;
    SELECT * INTO cur FROM incident_partitions() p WHERE p.last_end IS NULL;
    IF cur.month >= want THEN
        RETURN 0;  -- a clock behind the newest month: leave it
    END IF;
    EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %I)', cur.name) INTO empty;
    IF empty THEN  -- a month without a case: the open partition becomes the new month's
        EXECUTE format('ALTER TABLE %I RENAME TO %I', cur.name, part);
        RETURN 0;
    END IF;
    -- every id drawn so far is in a finished transaction (the lock), so the new month starts here
    SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END INTO next_id FROM incident_id_seq;
    EXECUTE format('SELECT greatest(%s, max(id) + 1) FROM %I', next_id, cur.name) INTO next_id;
    FOR fk IN SELECT c.conname, c.conrelid::regclass AS rel, pg_get_constraintdef(c.oid) AS def
              FROM pg_constraint c
              WHERE c.contype = 'f' AND c.confrelid = 'incident'::regclass AND c.conparentid = 0 LOOP
        fks_name := fks_name || fk.conname::text;
        fks_rel := fks_rel || fk.rel;
        fks_def := fks_def || fk.def;
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.rel, fk.conname);
    END LOOP;
    EXECUTE format('ALTER TABLE incident DETACH PARTITION %I', cur.name);
    -- proves the closed range (one scan of the month), so that the attach scans nothing more
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT incident_closing CHECK (%s id < %s)', cur.name,
                   CASE WHEN cur.first_id IS NULL THEN '' ELSE format('id >= %s AND', cur.first_id) END,
                   next_id);
    EXECUTE format('ALTER TABLE incident ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', cur.name,
                   coalesce(cur.first_id::text, 'MINVALUE'), next_id);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT incident_closing', cur.name);
    EXECUTE format('CREATE TABLE %I PARTITION OF incident FOR VALUES FROM (%s) TO (MAXVALUE)',
                   part, next_id);
    FOR k IN 1 .. cardinality(fks_name) LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s%s', fks_rel[k], fks_name[k], fks_def[k],
                       CASE WHEN fks_rel[k] = 'incident'::regclass THEN '' ELSE ' NOT VALID' END);
    END LOOP;
    RETURN 1;
END $$;

-- Validates the foreign keys to incident the roll put back NOT VALID (reads the referencing
-- tables; writes go on) and then gathers the root's statistics; returns how many.
CREATE FUNCTION incident_partitions_validate() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    fk record;
    n integer := 0;
BEGIN
    FOR fk IN SELECT c.conname, c.conrelid::regclass AS rel FROM pg_constraint c
              WHERE c.contype = 'f' AND c.confrelid = 'incident'::regclass AND c.conparentid = 0
                AND NOT c.convalidated LOOP
        EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', fk.rel, fk.conname);
        n := n + 1;
    END LOOP;
    IF n > 0 THEN
        ANALYZE incident;  -- after a split: autovacuum never analyzes a partitioned table's root
    END IF;
    RETURN n;
END $$;

-- The monthly partitions of incident: name, month, the ids [first_id, last_end); NULL is
-- MINVALUE (the oldest) or MAXVALUE (the open one).
CREATE FUNCTION incident_partitions()
RETURNS TABLE (name text, month date, first_id bigint, last_end bigint)
LANGUAGE sql STABLE AS $$
    SELECT c.relname::text,
           to_date(substr(c.relname, 10), 'YYYY_MM'),
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''?(-?\d+)'))[1]::bigint,
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''?(-?\d+)'))[1]::bigint
    FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
    WHERE h.inhparent = 'incident'::regclass
$$;


ANALYZE incident;
