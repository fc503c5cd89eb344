-- Addresses (issue #17): the gazetteer of door plates (门牌), reports located by an address, and
-- the operators' queue of reports whose address matched too weakly to place them.
-- pg_trgm's trigrams treat CJK characters as letters only under a UTF-8 locale such as
-- C.UTF-8 (scripts/db's cluster); docs/addresses.md.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One door plate: road + number, and within it optionally a compound (小区), building (幢) and
-- unit (单元). label is the written form shown to people; the parts and normalised (the parts in
-- one order) are what the geocoder compares (geocode/AddressNormaliser, the same rules as a
-- query's). Real areas fill it from the
-- unit import's 'address' property (source IMPORT), the demo from its roads (DEMO).
CREATE TABLE door_plate (
    id            bigserial PRIMARY KEY,
    road          text NOT NULL CHECK (road <> ''),
    number        text NOT NULL CHECK (number <> ''),
    compound      text,
    building      text,
    unit          text,
    community_id  bigint REFERENCES community (id) ON DELETE SET NULL,
    base_unit_id  bigint REFERENCES base_unit (id) ON DELETE CASCADE,
    source        text NOT NULL CHECK (source IN ('DEMO', 'IMPORT')),
    label         text NOT NULL,
    normalised    text NOT NULL UNIQUE,
    geom          geometry(Point, 4326) NOT NULL
);
CREATE INDEX door_plate_trgm_gin ON door_plate USING gin (normalised gin_trgm_ops);
CREATE INDEX door_plate_geom_gix ON door_plate USING gist (geom);
CREATE INDEX door_plate_road_number_idx ON door_plate (road, number);
CREATE INDEX door_plate_unit_idx ON door_plate (base_unit_id);

-- How a case located by an address was placed: the text given, the door plate matched and the
-- match's score (0..1); an operator's placement from the queue has no score and names the
-- operator.
CREATE TABLE incident_address (
    incident_id    bigint PRIMARY KEY REFERENCES incident (id) ON DELETE CASCADE,
    given          text NOT NULL,
    door_plate_id  bigint REFERENCES door_plate (id) ON DELETE SET NULL,
    label          text,
    score          real CHECK (score BETWEEN 0 AND 1),
    placed_by      bigint REFERENCES staff (id)
);

-- A report acknowledged with 202 whose address matched below the threshold: kept whole until an
-- operator places it on the map, which makes it a case (incident_id). The reporter's contact is
-- moved to the case then and erased here.
CREATE TABLE placement (
    id                bigserial PRIMARY KEY,
    received_at       timestamptz NOT NULL DEFAULT now(),
    address_given     text NOT NULL CHECK (address_given <> ''),
    candidate_id      bigint REFERENCES door_plate (id) ON DELETE SET NULL,
    candidate_label   text,
    score             real CHECK (score BETWEEN 0 AND 1),
    category          text NOT NULL,
    channel           text NOT NULL,
    description       text NOT NULL,
    reported_at       timestamptz NOT NULL,
    reporter_name     text,
    reporter_phone    text,
    entered_by        bigint REFERENCES staff (id),
    entered_username  text,
    entered_role      text,
    idempotency_key   text UNIQUE,
    request_hash      text,
    placed_at         timestamptz,
    placed_by         bigint REFERENCES staff (id),
    incident_id       bigint REFERENCES incident (id) ON DELETE SET NULL
);
CREATE INDEX placement_waiting_idx ON placement (received_at) WHERE incident_id IS NULL;
