-- Import of base units and communities (docs/planning.md, "Import and export").

-- Every property of a staged feature (keys lower-cased), for the checks and the commit of each
-- import kind: units read code, community, households, population, land_use; communities code,
-- name, kind.
ALTER TABLE import_feature ADD COLUMN props jsonb NOT NULL DEFAULT '{}';

-- A unit that a later import no longer holds is retired, not deleted: adopted plans (the
-- history of "which grid was this point in on date X") keep their grid_unit rows. Only units
-- with retired_at IS NULL make up the current unit set; an import naming the code again revives it.
ALTER TABLE base_unit ADD COLUMN retired_at timestamptz;
CREATE INDEX base_unit_current_idx ON base_unit (id) WHERE retired_at IS NULL;
