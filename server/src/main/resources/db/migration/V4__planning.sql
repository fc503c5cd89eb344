-- Grid planning (docs/planning.md): the worker a plan gives each grid, the undo history of draft
-- edits, and the job table that long tasks (rebalancing, imports) report through.

-- A plan names the grid worker of each grid itself, so a draft can reassign workers without
-- touching the plan in effect. Routing prefers it to staff.grid_id (see PlanTimeline).
ALTER TABLE grid ADD COLUMN worker_id bigint REFERENCES staff (id);

-- One row per edit of a draft: the plan as it was before the edit (grids and unit assignment),
-- which is what undo restores. version is the plan version the edit started from.
CREATE TABLE plan_edit (
    plan_id     bigint NOT NULL REFERENCES grid_plan (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    op          jsonb NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    grids       jsonb NOT NULL,
    unit_ids    bigint[] NOT NULL,
    unit_grids  bigint[] NOT NULL,
    PRIMARY KEY (plan_id, version)
);

-- Long-running tasks. Rows outlive the server process; a RUNNING row whose owner died is shown
-- as FAILED by the next start (see JobStore).
CREATE TABLE job (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL,
    status      text NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED', 'CANCELLED')),
    progress    double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    params      jsonb NOT NULL DEFAULT '{}',
    result      jsonb,
    error       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Features of an uploaded grid plan, reprojected to EPSG:4326 by ogr2ogr, held between the
-- validation report and the commit that turns them into a draft plan (docs/planning.md).
CREATE TABLE import_feature (
    job_id  uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    seq     integer NOT NULL,
    code    text,
    name    text,
    kind    text,
    geom    geometry(Geometry, 4326),
    PRIMARY KEY (job_id, seq)
);
