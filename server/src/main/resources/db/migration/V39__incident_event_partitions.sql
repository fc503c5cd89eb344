-- incident_event partitioned beside incident (issue #20, docs/partitions.md): RANGE (incident_id)
-- with the same bounds as incident's months (V36), so a month of cases and all their events live
-- in the partitions of the same name (incident_2026_11, incident_event_2026_11) and a case's
-- history reads one partition.
--
-- A unique key of a partitioned table must hold its partition key: the primary key becomes
-- (incident_id, id) (it replaces the index incident_event_incident_idx on the same columns), and
-- the three foreign keys to incident_event (id) become (incident_id, event_id) → (incident_id,
-- id). media and case_supervision cite events of their own case. An outbox row may cite an event
-- of another case (the 12345 feedback of a work order merged into a case cites the case's event),
-- so outbox gets event_incident_id, filled from the event by a trigger (every writer of outbox
-- stays as it was). ids stay globally unique (one sequence); incident_event_id_idx serves the
-- lookups and the live relay's scan by id.
--
-- The foreign key from the events to incident is one per partition, not one on the root:
-- PostgreSQL 15 cannot add a NOT VALID foreign key on a partitioned table, and the monthly roll
-- must drop and re-add it around the split without a scan of every event under its lock.

-- -------------------------------------------------------------------------- outbox: the event's case
ALTER TABLE outbox ADD COLUMN event_incident_id bigint;
UPDATE outbox o SET event_incident_id = e.incident_id
FROM incident_event e WHERE e.id = o.event_id;

-- Called only for a row that cites an event and names no case (the trigger's WHEN).
CREATE FUNCTION outbox_event_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the row's own case first (one partition), then any case
    IF EXISTS (SELECT 1 FROM incident_event e
               WHERE e.incident_id = NEW.incident_id AND e.id = NEW.event_id) THEN
        NEW.event_incident_id := NEW.incident_id;
    ELSE
        NEW.event_incident_id := (SELECT e.incident_id FROM incident_event e WHERE e.id = NEW.event_id);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER outbox_event_case BEFORE INSERT ON outbox
    FOR EACH ROW WHEN (NEW.event_id IS NOT NULL AND NEW.event_incident_id IS NULL)
    EXECUTE FUNCTION outbox_event_case();

-- -------------------------------------------------------------------------- the partitioned log
ALTER TABLE media DROP CONSTRAINT media_event_id_fkey;
ALTER TABLE case_supervision DROP CONSTRAINT case_supervision_event_id_fkey;
ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_fkey;

ALTER TABLE incident_event RENAME TO incident_event_unpartitioned;

-- what the old table had that the new one must have again, by name
CREATE TEMP TABLE v39_kept ON COMMIT DROP AS
SELECT 'index' AS kind, i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid = 'incident_event_unpartitioned'::regclass
  AND NOT i.indisprimary
  AND i.indexrelid <> 'incident_event_incident_idx'::regclass
UNION ALL
SELECT 'trigger', t.tgname, pg_get_triggerdef(t.oid)
FROM pg_trigger t
WHERE t.tgrelid = 'incident_event_unpartitioned'::regclass AND NOT t.tgisinternal;

CREATE TEMP TABLE v39_seq ON COMMIT DROP AS
SELECT last_value, is_called FROM incident_event_id_seq;

-- columns, defaults, NOT NULL and CHECK constraints as they were
CREATE TABLE incident_event (LIKE incident_event_unpartitioned INCLUDING DEFAULTS
                             INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)
    PARTITION BY RANGE (incident_id);

-- the partitions of incident, bound for bound
DO $$
DECLARE p record;
BEGIN
    FOR p IN SELECT * FROM incident_partitions() LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF incident_event FOR VALUES FROM (%s) TO (%s)',
                       'incident_event_' || to_char(p.month, 'YYYY_MM'),
                       coalesce(p.first_id::text, 'MINVALUE'), coalesce(p.last_end::text, 'MAXVALUE'));
    END LOOP;
END $$;

INSERT INTO incident_event SELECT * FROM incident_event_unpartitioned;
DROP TABLE incident_event_unpartitioned;  -- with its identity sequence and foreign keys

CREATE SEQUENCE incident_event_id_seq OWNED BY incident_event.id;
SELECT setval('incident_event_id_seq', last_value, is_called) FROM v39_seq;
ALTER TABLE incident_event ALTER COLUMN id SET DEFAULT nextval('incident_event_id_seq');

ALTER TABLE incident_event ADD PRIMARY KEY (incident_id, id);
CREATE INDEX incident_event_id_idx ON incident_event (id);
ALTER TABLE incident_event ADD CONSTRAINT incident_event_actor_id_fkey
    FOREIGN KEY (actor_id) REFERENCES staff (id);

-- Each partition's foreign key to incident, named after it.
CREATE FUNCTION incident_event_partition_fk(part text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (incident_id) REFERENCES incident (id)',
                  part, part || '_incident_fkey')
$$;

DO $$
DECLARE k record;
BEGIN
    FOR k IN SELECT * FROM v39_kept WHERE kind = 'index' LOOP
        EXECUTE regexp_replace(k.def, ' ON (public\.)?incident_event_unpartitioned ', ' ON public.incident_event ');
    END LOOP;
    FOR k IN SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
             WHERE h.inhparent = 'incident_event'::regclass LOOP
        EXECUTE incident_event_partition_fk(k.relname);
    END LOOP;
    -- after the copy, so that the rows copied fire none of them
    FOR k IN SELECT * FROM v39_kept WHERE kind = 'trigger' LOOP
        EXECUTE regexp_replace(k.def, ' ON (public\.)?incident_event_unpartitioned ', ' ON public.incident_event ');
    END LOOP;
END $$;

ALTER TABLE media ADD CONSTRAINT media_event_id_fkey
    FOREIGN KEY (incident_id, event_id) REFERENCES incident_event (incident_id, id);
ALTER TABLE case_supervision ADD CONSTRAINT case_supervision_event_id_fkey
    FOREIGN KEY (incident_id, event_id) REFERENCES incident_event (incident_id, id);
ALTER TABLE outbox ADD CONSTRAINT outbox_event_id_fkey
    FOREIGN KEY (event_incident_id, event_id) REFERENCES incident_event (incident_id, id);
ALTER TABLE outbox ADD CONSTRAINT outbox_event_case_named
    CHECK (event_id IS NULL OR event_incident_id IS NOT NULL);

-- -------------------------------------------------------------------------- the monthly roll
-- V36's roll, now closing incident's and incident_event's open partitions at the same id. A
-- partition that rows of other tables reference cannot be detached (PostgreSQL checks every
-- referencing row), so the foreign keys to incident and to incident_event are dropped for the
-- moment of the split and put back NOT VALID (the self-reference duplicate_of, on a partitioned
-- table, valid: a scan of its partial index); incident_partitions_validate() validates them
-- after, without blocking writes. Under an exclusive lock on both: intake waits for a scan of the
-- closed month's ids.
CREATE OR REPLACE FUNCTION incident_partitions_roll(at timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    want date := date_trunc('month', at)::date;
    part text := 'incident_' || to_char(want, 'YYYY_MM');
    event_part text := 'incident_event_' || to_char(want, 'YYYY_MM');
    cur record;
    cur_event text;
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
    LOCK TABLE incident, incident_event IN ACCESS EXCLUSIVE MODE;
    IF to_regclass(part) IS NOT NULL THEN  -- another instance made it while this one waited
        RETURN 0;
    END IF;
    SELECT * INTO cur FROM incident_partitions() p WHERE p.last_end IS NULL;
    IF cur.month >= want THEN
        RETURN 0;  -- a clock behind the newest month: leave it
    END IF;
    cur_event := 'incident_event_' || to_char(cur.month, 'YYYY_MM');
    EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %I)', cur.name) INTO empty;
    IF empty THEN  -- a month without a case (so without events): both become the new month's
        EXECUTE format('ALTER TABLE %I RENAME TO %I', cur.name, part);
        EXECUTE format('ALTER TABLE %I RENAME TO %I', cur_event, event_part);
        EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', event_part,
                       cur_event || '_incident_fkey', event_part || '_incident_fkey');
        RETURN 0;
    END IF;
    -- every id drawn so far is in a finished transaction (the lock), so the new month starts here
    SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END INTO next_id FROM incident_id_seq;
    EXECUTE format('SELECT greatest(%s, max(id) + 1) FROM %I', next_id, cur.name) INTO next_id;
    FOR fk IN SELECT c.conname, c.conrelid::regclass AS rel, pg_get_constraintdef(c.oid) AS def
              FROM pg_constraint c
              WHERE c.contype = 'f' AND c.confrelid IN ('incident'::regclass, 'incident_event'::regclass)
                AND c.conparentid = 0 LOOP
        fks_name := fks_name || fk.conname::text;
        fks_rel := fks_rel || fk.rel;
        fks_def := fks_def || fk.def;
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.rel, fk.conname);
    END LOOP;
    EXECUTE format('ALTER TABLE incident DETACH PARTITION %I', cur.name);
    EXECUTE format('ALTER TABLE incident_event DETACH PARTITION %I', cur_event);
    -- proves the closed ranges (one scan of each), so that the attach scans nothing more
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT incident_closing CHECK (%s id < %s)', cur.name,
                   CASE WHEN cur.first_id IS NULL THEN '' ELSE format('id >= %s AND', cur.first_id) END,
                   next_id);
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT incident_closing CHECK (%s incident_id < %s)', cur_event,
                   CASE WHEN cur.first_id IS NULL THEN '' ELSE format('incident_id >= %s AND', cur.first_id) END,
                   next_id);
    EXECUTE format('ALTER TABLE incident ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', cur.name,
                   coalesce(cur.first_id::text, 'MINVALUE'), next_id);
    EXECUTE format('ALTER TABLE incident_event ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', cur_event,
                   coalesce(cur.first_id::text, 'MINVALUE'), next_id);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT incident_closing', cur.name);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT incident_closing', cur_event);
    EXECUTE format('CREATE TABLE %I PARTITION OF incident FOR VALUES FROM (%s) TO (MAXVALUE)',
                   part, next_id);
    EXECUTE format('CREATE TABLE %I PARTITION OF incident_event FOR VALUES FROM (%s) TO (MAXVALUE)',
                   event_part, next_id);
    FOR k IN 1 .. cardinality(fks_name) LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s%s', fks_rel[k], fks_name[k], fks_def[k],
                       CASE WHEN fks_rel[k] = 'incident'::regclass THEN '' ELSE ' NOT VALID' END);
    END LOOP;
    EXECUTE incident_event_partition_fk(event_part);  -- an empty table: valid at once
    RETURN 1;
END $$;

ANALYZE incident_event;

-- Validates the foreign keys to incident and incident_event the roll put back NOT VALID (reads
-- the referencing tables; writes go on), then gathers the roots' statistics; returns how many.
CREATE OR REPLACE FUNCTION incident_partitions_validate() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    fk record;
    n integer := 0;
BEGIN
    FOR fk IN SELECT c.conname, c.conrelid::regclass AS rel FROM pg_constraint c
              WHERE c.contype = 'f' AND c.confrelid IN ('incident'::regclass, 'incident_event'::regclass)
                AND c.conparentid = 0 AND NOT c.convalidated LOOP
        EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', fk.rel, fk.conname);
        n := n + 1;
    END LOOP;
    IF n > 0 THEN
        -- after a split: autovacuum never analyzes a partitioned table's root
        ANALYZE incident;
        ANALYZE incident_event;
    END IF;
    RETURN n;
END $$;
