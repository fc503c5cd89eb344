-- Grid workers' and other staff's positions from their phones: patrol tracks, coverage and the
-- latest position for nearest-responder search. A phone that was offline uploads later; the
-- primary key (staff, time) makes a re-sent point a no-op.
CREATE TABLE staff_position (
    staff_id     bigint NOT NULL REFERENCES staff (id),
    recorded_at  timestamptz NOT NULL,
    geom         geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    accuracy_m   real CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (staff_id, recorded_at)
);
CREATE INDEX staff_position_geom_gix ON staff_position USING gist (geom);
CREATE INDEX staff_position_time_idx ON staff_position (recorded_at);
