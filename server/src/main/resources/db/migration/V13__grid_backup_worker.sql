-- Grid assignment (issue #16): each grid of a plan names a backup worker (the "B" of the AB
-- pair) besides its worker; drafts and adoptions carry it as they carry worker_id. Adoption
-- validation (PlanValidator) warns when it is missing; it can never be the worker itself.
ALTER TABLE grid
    ADD COLUMN backup_worker_id bigint REFERENCES staff (id),
    ADD CONSTRAINT grid_backup_not_worker CHECK (backup_worker_id <> worker_id);
