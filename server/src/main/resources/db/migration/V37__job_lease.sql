-- Jobs in a cluster (issue #20, docs/cluster.md): the instance running a job and how long its
-- claim on it lasts. The running instance renews the lease (every 10 s, for 60 s); an instance
-- that starts fails only the RUNNING jobs whose lease ran out (their instance died), and those of
-- before this migration (no owner), never a job another live instance is running.
ALTER TABLE job
    ADD COLUMN owner       text,
    ADD COLUMN lease_until timestamptz;

-- the sweep looks for the running jobs whose lease ran out
CREATE INDEX job_running_lease ON job (lease_until) WHERE status = 'RUNNING';
