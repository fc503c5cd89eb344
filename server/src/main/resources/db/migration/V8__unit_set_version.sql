-- The version of the base-unit set (and of the roads inside the units): every statement that
-- writes base_unit or road_edge bumps it. The in-memory unit graph (rebalance.UnitGraph) is
-- cached per version, so an import of units or roads invalidates it on every instance.
CREATE TABLE unit_set_version (
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    version  bigint NOT NULL
);
INSERT INTO unit_set_version VALUES (true, 1);

CREATE FUNCTION bump_unit_set_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_set_version SET version = version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER base_unit_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON base_unit
    FOR EACH STATEMENT EXECUTE FUNCTION bump_unit_set_version();
CREATE TRIGGER road_edge_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON road_edge
    FOR EACH STATEMENT EXECUTE FUNCTION bump_unit_set_version();
