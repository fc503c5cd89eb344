-- Many subdistricts in one deployment (docs/district.md). Until now the jurisdiction table held
-- exactly one SUBDISTRICT and the DISTRICT service area around it; a district deployment holds ten
-- to twenty subdistricts under one district. Codes stay hierarchical: district 6 digits,
-- subdistrict 9 (district + 3), community 12 (subdistrict + 3), grid 15 (community + 3).
--
-- Every row that belongs to one subdistrict says so (community, incident, staff, grid_plan), so
-- isolation is one indexed equality, not a spatial join. Existing single-subdistrict databases are
-- backfilled to their one subdistrict.

ALTER TABLE jurisdiction DROP CONSTRAINT jurisdiction_kind_key;
CREATE UNIQUE INDEX jurisdiction_one_district ON jurisdiction (kind) WHERE kind = 'DISTRICT';
ALTER TABLE jurisdiction ADD CONSTRAINT jurisdiction_code_shape CHECK (
    (kind = 'DISTRICT' AND code ~ '^[0-9]{6}$') OR (kind = 'SUBDISTRICT' AND code ~ '^[0-9]{9}$'))
    NOT VALID;

-- The subdistrict a new row belongs to, from a community code's first nine digits; with a single
-- subdistrict (the deployments before this migration, and their imports) that one. Raises when
-- several exist and none matches: a row in no subdistrict would be visible to no one.
CREATE FUNCTION subdistrict_of_code(c text) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    sid bigint;
BEGIN
    SELECT id INTO sid FROM jurisdiction WHERE kind = 'SUBDISTRICT' AND code = left(c, 9);
    IF sid IS NOT NULL THEN
        RETURN sid;
    END IF;
    IF (SELECT count(*) FROM jurisdiction WHERE kind = 'SUBDISTRICT') = 1 THEN
        RETURN (SELECT id FROM jurisdiction WHERE kind = 'SUBDISTRICT');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM jurisdiction WHERE kind = 'SUBDISTRICT') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'code % names no subdistrict (its first nine digits match no subdistrict code)', c
        USING ERRCODE = 'foreign_key_violation';
END $$;

-- ---------------------------------------------------------------- community
ALTER TABLE community ADD COLUMN subdistrict_id bigint REFERENCES jurisdiction (id);
UPDATE community SET subdistrict_id = subdistrict_of_code(code);
CREATE INDEX community_subdistrict_idx ON community (subdistrict_id);

CREATE FUNCTION community_fill_subdistrict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.subdistrict_id IS NULL THEN
        NEW.subdistrict_id := subdistrict_of_code(NEW.code);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER community_subdistrict BEFORE INSERT OR UPDATE OF code, subdistrict_id ON community
    FOR EACH ROW EXECUTE FUNCTION community_fill_subdistrict();

-- ---------------------------------------------------------------- incident
-- The subdistrict whose command centre owns the case: its community's. NULL = the district's own
-- (escalated beyond every subdistrict, or outside all of them but inside the district).
ALTER TABLE incident ADD COLUMN subdistrict_id bigint REFERENCES jurisdiction (id);
UPDATE incident i SET subdistrict_id = c.subdistrict_id
FROM community c WHERE c.id = i.community_id;
CREATE INDEX incident_subdistrict_idx ON incident (subdistrict_id, reported_at);

CREATE FUNCTION incident_fill_subdistrict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.community_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.community_id IS DISTINCT FROM OLD.community_id) THEN
        NEW.subdistrict_id := (SELECT subdistrict_id FROM community WHERE id = NEW.community_id);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER incident_subdistrict BEFORE INSERT OR UPDATE OF community_id ON incident
    FOR EACH ROW EXECUTE FUNCTION incident_fill_subdistrict();

-- ---------------------------------------------------------------- staff
-- Two district roles: the district command centre's operator and commander (区指挥中心). Scope
-- DISTRICT spans every subdistrict and is for district roles, admins and auditors only (checked
-- by the API, docs/access.md). Every other scope is inside one subdistrict: staff.subdistrict_id.
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check CHECK (role IN (
    'GRID_WORKER', 'GRID_LEADER', 'VILLAGE_CADRE', 'PLATFORM_HANDLER',
    'PLATFORM_COMMANDER', 'CENTRE_OPERATOR', 'CENTRE_DIRECTOR', 'CHIEF_COMMANDER',
    'PLANNER', 'DISTRICT_LIAISON', 'AUDITOR', 'ADMIN', 'DISTRICT_OPERATOR', 'DISTRICT_COMMANDER'));
ALTER TABLE staff DROP CONSTRAINT staff_scope_type_check;
ALTER TABLE staff ADD CONSTRAINT staff_scope_type_check
    CHECK (scope_type IN ('GRID', 'COMMUNITY', 'PLATFORM', 'SUBDISTRICT', 'DISTRICT'));
ALTER TABLE staff ADD COLUMN subdistrict_id bigint REFERENCES jurisdiction (id);
UPDATE staff s SET subdistrict_id = COALESCE(
    (SELECT c.subdistrict_id FROM community c WHERE c.id = s.community_id),
    (SELECT c.subdistrict_id FROM grid g JOIN community c ON c.id = g.community_id
      WHERE g.id = s.grid_id),
    (SELECT id FROM jurisdiction WHERE kind = 'SUBDISTRICT' ORDER BY id LIMIT 1));
ALTER TABLE staff ADD CONSTRAINT staff_district_scope
    CHECK (scope_type <> 'DISTRICT' OR subdistrict_id IS NULL);
CREATE INDEX staff_subdistrict_idx ON staff (subdistrict_id);

-- A grid or community scope lies in that community's subdistrict, whatever the caller said; a
-- platform or subdistrict scope without one, in a deployment of one subdistrict, is in that one.
CREATE FUNCTION staff_fill_subdistrict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.scope_type = 'DISTRICT' THEN
        NEW.subdistrict_id := NULL;
    ELSIF NEW.community_id IS NOT NULL THEN
        NEW.subdistrict_id := (SELECT subdistrict_id FROM community WHERE id = NEW.community_id);
    ELSIF NEW.grid_id IS NOT NULL THEN
        NEW.subdistrict_id := (SELECT c.subdistrict_id FROM grid g
                               JOIN community c ON c.id = g.community_id WHERE g.id = NEW.grid_id);
    ELSIF NEW.subdistrict_id IS NULL
          AND (SELECT count(*) FROM jurisdiction WHERE kind = 'SUBDISTRICT') = 1 THEN
        NEW.subdistrict_id := (SELECT id FROM jurisdiction WHERE kind = 'SUBDISTRICT');
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER staff_subdistrict BEFORE INSERT OR UPDATE OF scope_type, grid_id, community_id,
    subdistrict_id ON staff FOR EACH ROW EXECUTE FUNCTION staff_fill_subdistrict();

-- A token vouches for the subdistrict too: moving a person to another subdistrict ends their
-- tokens, as a change of scope always did (V9).
DROP TRIGGER staff_auth_version ON staff;
CREATE TRIGGER staff_auth_version BEFORE UPDATE ON staff FOR EACH ROW
    WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.role IS DISTINCT FROM NEW.role
          OR OLD.scope_type IS DISTINCT FROM NEW.scope_type OR OLD.grid_id IS DISTINCT FROM NEW.grid_id
          OR OLD.community_id IS DISTINCT FROM NEW.community_id OR OLD.platform IS DISTINCT FROM NEW.platform
          OR OLD.subdistrict_id IS DISTINCT FROM NEW.subdistrict_id
          OR OLD.password_hash IS DISTINCT FROM NEW.password_hash OR OLD.active IS DISTINCT FROM NEW.active)
    EXECUTE FUNCTION bump_staff_auth_version();

-- ---------------------------------------------------------------- grid plans
-- Each subdistrict has its own plans: one plan in effect per subdistrict at any instant. A plan
-- with no subdistrict (a database that had no boundary when the plan was made) stands for the
-- only subdistrict there is.
ALTER TABLE grid_plan ADD COLUMN subdistrict_id bigint REFERENCES jurisdiction (id);
UPDATE grid_plan SET subdistrict_id = (SELECT id FROM jurisdiction WHERE kind = 'SUBDISTRICT'
                                       ORDER BY id LIMIT 1);
ALTER TABLE grid_plan DROP CONSTRAINT grid_plan_tstzrange_excl;
ALTER TABLE grid_plan ADD CONSTRAINT grid_plan_one_in_effect_per_subdistrict
    EXCLUDE USING gist (COALESCE(subdistrict_id, 0) WITH =,
                        tstzrange(effective_from, effective_to) WITH &&)
    WHERE (status <> 'DRAFT');

-- The plans in effect at an instant, one per subdistrict.
CREATE FUNCTION plans_in_effect(at timestamptz DEFAULT now()) RETURNS SETOF bigint
LANGUAGE sql STABLE AS $$
    SELECT id FROM grid_plan
    WHERE status <> 'DRAFT' AND effective_from <= at AND (effective_to IS NULL OR effective_to > at)
$$;

-- The plan in effect in one subdistrict.
CREATE FUNCTION plan_in_effect(at timestamptz, subdistrict bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT id FROM grid_plan
    WHERE status <> 'DRAFT' AND effective_from <= at AND (effective_to IS NULL OR effective_to > at)
      AND COALESCE(subdistrict_id, 0) = COALESCE(subdistrict, 0)
$$;

CREATE FUNCTION grid_plan_fill_subdistrict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.subdistrict_id IS NULL
       AND (SELECT count(*) FROM jurisdiction WHERE kind = 'SUBDISTRICT') = 1 THEN
        NEW.subdistrict_id := (SELECT id FROM jurisdiction WHERE kind = 'SUBDISTRICT');
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER grid_plan_subdistrict BEFORE INSERT ON grid_plan
    FOR EACH ROW EXECUTE FUNCTION grid_plan_fill_subdistrict();
