-- gridgov schema, version 1: the spatial model and the governance model (docs/data-model.md).
-- Geometry is stored in EPSG:4326; areas and distances are computed after ST_Transform to the
-- planar CRS named in settings (EPSG:4549 for the demo area).

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pgrouting;

-- ---------------------------------------------------------------- areas

-- The subdistrict (街道) and, around it, the district whose command centre receives what the
-- subdistrict cannot handle. kind = SUBDISTRICT is the jurisdiction; DISTRICT is the service
-- area: a report inside it but outside the subdistrict is accepted and transferred.
CREATE TABLE jurisdiction (
    id          bigint PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('SUBDISTRICT', 'DISTRICT')) UNIQUE,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX jurisdiction_geom_gix ON jurisdiction USING gist (geom);

-- 村/社区. kind: URBAN community (社区) or VILLAGE (村).
CREATE TABLE community (
    id          bigint PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{12}$'),
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('URBAN', 'VILLAGE')),
    geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX community_geom_gix ON community USING gist (geom);

-- Base units tile each community; grids are made of them.
CREATE TABLE base_unit (
    id            bigint PRIMARY KEY,
    community_id  bigint NOT NULL REFERENCES community (id),
    code          text NOT NULL UNIQUE,
    land_use      text NOT NULL CHECK (land_use IN ('RESIDENTIAL', 'COMMERCIAL', 'INDUSTRIAL', 'VILLAGE', 'PUBLIC', 'OPEN')),
    households    integer NOT NULL CHECK (households >= 0),
    population    integer NOT NULL CHECK (population >= 0),
    geom          geometry(Polygon, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX base_unit_geom_gix ON base_unit USING gist (geom);
CREATE INDEX base_unit_community_idx ON base_unit (community_id);

-- ---------------------------------------------------------------- road network (pgRouting)

CREATE TABLE road_vertex (
    id    bigint PRIMARY KEY,
    geom  geometry(Point, 4326) NOT NULL
);
CREATE INDEX road_vertex_geom_gix ON road_vertex USING gist (geom);

-- cost / reverse_cost in seconds of travel; -1 reverse_cost marks a one-way street.
CREATE TABLE road_edge (
    id            bigint PRIMARY KEY,
    source        bigint NOT NULL REFERENCES road_vertex (id),
    target        bigint NOT NULL REFERENCES road_vertex (id),
    road_class    text NOT NULL CHECK (road_class IN ('MAIN', 'STREET', 'LANE')),
    length_m      double precision NOT NULL CHECK (length_m > 0),
    cost          double precision NOT NULL,
    reverse_cost  double precision NOT NULL,
    geom          geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX road_edge_geom_gix ON road_edge USING gist (geom);
CREATE INDEX road_edge_source_idx ON road_edge (source);
CREATE INDEX road_edge_target_idx ON road_edge (target);

-- ---------------------------------------------------------------- governance reference data

CREATE TABLE platform (
    code     text PRIMARY KEY CHECK (code IN ('GOVERNANCE', 'MARKET', 'ENFORCEMENT', 'SERVICE')),
    name_zh  text NOT NULL,
    name_en  text NOT NULL
);
INSERT INTO platform (code, name_zh, name_en) VALUES
    ('GOVERNANCE',  '综治工作平台', 'Comprehensive governance'),
    ('MARKET',      '市场监管平台', 'Market supervision'),
    ('ENFORCEMENT', '综合执法平台', 'Comprehensive law enforcement'),
    ('SERVICE',     '便民服务平台', 'Convenience services');

CREATE TABLE channel (
    code     text PRIMARY KEY,
    name_zh  text NOT NULL,
    name_en  text NOT NULL
);
INSERT INTO channel (code, name_zh, name_en) VALUES
    ('GRID_PATROL',   '网格巡查',   'Grid patrol'),
    ('VILLAGE_CADRE', '驻村联村',   'Village cadre'),
    ('INSPECTION',    '专项督查',   'Special inspection'),
    ('HOTLINE',       '服务热线',   'Service hotline'),
    ('PUBLIC_ONLINE', '互联网+群众', 'Public online');

-- Loaded from gis-data/taxonomy/categories.csv at start (CategoryCatalog), never edited here.
CREATE TABLE category (
    code            text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,47}$'),
    platform        text NOT NULL REFERENCES platform (code),
    name_zh         text NOT NULL,
    name_en         text NOT NULL,
    deadline_hours  integer NOT NULL CHECK (deadline_hours > 0),
    weight          numeric(5, 2) NOT NULL CHECK (weight > 0),
    authority       text NOT NULL CHECK (authority IN ('SUBDISTRICT', 'DISTRICT')),
    urgency         text NOT NULL CHECK (urgency IN ('NORMAL', 'URGENT')),
    active          boolean NOT NULL DEFAULT true
);

-- ---------------------------------------------------------------- grid plans

-- Exactly one plan is in effect at any instant: adopted plans carry [effective_from,
-- effective_to) ranges that never overlap (exclusion constraint); drafts carry none.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE grid_plan (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name            text NOT NULL,
    status          text NOT NULL CHECK (status IN ('DRAFT', 'ACTIVE', 'RETIRED')),
    effective_from  timestamptz,
    effective_to    timestamptz,
    based_on        bigint REFERENCES grid_plan (id),
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'DRAFT') = (effective_from IS NULL)),
    CHECK (effective_to IS NULL OR effective_to > effective_from),
    EXCLUDE USING gist (tstzrange(effective_from, effective_to) WITH &&) WHERE (status <> 'DRAFT')
);

CREATE TABLE grid (
    id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    plan_id       bigint NOT NULL REFERENCES grid_plan (id),
    community_id  bigint NOT NULL REFERENCES community (id),
    code          text NOT NULL CHECK (code ~ '^[0-9]{15}$'),
    name          text NOT NULL,
    kind          text NOT NULL DEFAULT 'BASIC' CHECK (kind IN ('BASIC', 'SPECIAL')),
    -- The union of the grid's units, kept by whoever changes grid_unit.
    geom          geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    UNIQUE (plan_id, code)
);
CREATE INDEX grid_geom_gix ON grid USING gist (geom);
CREATE INDEX grid_plan_idx ON grid (plan_id);

-- Each base unit belongs to exactly one grid of a plan.
CREATE TABLE grid_unit (
    plan_id  bigint NOT NULL REFERENCES grid_plan (id),
    unit_id  bigint NOT NULL REFERENCES base_unit (id),
    grid_id  bigint NOT NULL REFERENCES grid (id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, unit_id)
);
CREATE INDEX grid_unit_grid_idx ON grid_unit (grid_id);

-- ---------------------------------------------------------------- people

CREATE TABLE staff (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    role        text NOT NULL CHECK (role IN (
                    'GRID_WORKER', 'GRID_LEADER', 'VILLAGE_CADRE', 'PLATFORM_HANDLER',
                    'PLATFORM_COMMANDER', 'CENTRE_OPERATOR', 'CENTRE_DIRECTOR', 'CHIEF_COMMANDER',
                    'PLANNER', 'DISTRICT_LIAISON', 'AUDITOR', 'ADMIN')),
    employment  text NOT NULL DEFAULT 'FULL_TIME' CHECK (employment IN ('FULL_TIME', 'PART_TIME')),
    -- Scope: the grid, community or platform the person answers for; none = whole subdistrict.
    scope_type  text NOT NULL CHECK (scope_type IN ('GRID', 'COMMUNITY', 'PLATFORM', 'SUBDISTRICT')),
    grid_id       bigint REFERENCES grid (id),
    community_id  bigint REFERENCES community (id),
    platform      text REFERENCES platform (code),
    phone       text,
    on_duty     boolean NOT NULL DEFAULT true,
    CHECK ((scope_type = 'GRID') = (grid_id IS NOT NULL)),
    CHECK ((scope_type = 'COMMUNITY') = (community_id IS NOT NULL)),
    CHECK ((scope_type = 'PLATFORM') = (platform IS NOT NULL))
);
CREATE INDEX staff_grid_idx ON staff (grid_id) WHERE grid_id IS NOT NULL;

-- ---------------------------------------------------------------- incidents

CREATE TABLE incident (
    id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    version          integer NOT NULL DEFAULT 1,
    status           text NOT NULL CHECK (status IN (
                         'REPORTED', 'ACCEPTED', 'REJECTED', 'DISPATCHED', 'IN_PROGRESS',
                         'RESOLVED', 'VERIFIED', 'CLOSED', 'ESCALATED', 'COORDINATION')),
    category         text NOT NULL REFERENCES category (code),
    channel          text NOT NULL REFERENCES channel (code),
    description      text NOT NULL DEFAULT '',
    location         geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(location)),
    reported_at      timestamptz NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    reporter_name    text,
    reporter_phone   text,
    -- Routing, decided at intake under the plan in effect at reported_at.
    jurisdiction     text NOT NULL CHECK (jurisdiction IN ('SUBDISTRICT', 'DISTRICT')),
    plan_id          bigint REFERENCES grid_plan (id),
    grid_id          bigint REFERENCES grid (id),
    community_id     bigint REFERENCES community (id),
    platform         text NOT NULL REFERENCES platform (code),
    assignee_id      bigint REFERENCES staff (id),
    due_at           timestamptz NOT NULL,
    idempotency_key  text UNIQUE,
    request_hash     text,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((idempotency_key IS NULL) = (request_hash IS NULL))
);
CREATE INDEX incident_location_gix ON incident USING gist (location);
CREATE INDEX incident_reported_at_idx ON incident (reported_at);
CREATE INDEX incident_grid_idx ON incident (grid_id);
CREATE INDEX incident_status_idx ON incident (status);
CREATE INDEX incident_category_idx ON incident (category);

-- The append-only audit trail: every change to an incident is one row here.
CREATE TABLE incident_event (
    id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    incident_id  bigint NOT NULL REFERENCES incident (id),
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     bigint REFERENCES staff (id),
    actor_role   text,
    type         text NOT NULL,
    from_status  text,
    to_status    text NOT NULL,
    note         text,
    data         jsonb
);
CREATE INDEX incident_event_incident_idx ON incident_event (incident_id, id);

CREATE FUNCTION incident_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'incident_event is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER incident_event_append_only
    BEFORE UPDATE OR DELETE ON incident_event
    FOR EACH ROW EXECUTE FUNCTION incident_event_is_append_only();
CREATE TRIGGER incident_event_no_truncate
    BEFORE TRUNCATE ON incident_event
    FOR EACH STATEMENT EXECUTE FUNCTION incident_event_is_append_only();
