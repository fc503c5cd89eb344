-- Public reporting (#14, findings 2 and 3).
--
-- category.public: whether cases of the category may appear in public lists (Open311) at all.
-- Loaded from gis-data/taxonomy/categories.csv by CategoryCatalog.sync; false until then, so a
-- category is private unless the taxonomy says otherwise. The rule is in docs/open311.md.
ALTER TABLE category ADD COLUMN public boolean NOT NULL DEFAULT false;

-- A member of the public follows an open case instead of filing a duplicate. Not an event of the
-- case and not a change of it: the case's version (optimistic locking of staff actions) stays.
-- One row per follower (their phone if given, else their address): following twice is a no-op.
CREATE TABLE incident_follow (
    incident_id  bigint NOT NULL REFERENCES incident (id),
    follower     text NOT NULL CHECK (length(follower) BETWEEN 1 AND 100),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (incident_id, follower)
);
