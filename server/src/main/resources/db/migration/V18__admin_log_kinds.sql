-- The admin log (V12) also keeps the edits of reference data and of rosters and leave (issue #16):
-- 'reference' = a new version of a kind (categories, calendar, deadlines, dispatch, scoring),
-- 'roster' = shifts added or deleted, leave recorded or cancelled. Each is written in the same
-- transaction as the change; the table stays append-only.
ALTER TABLE admin_log DROP CONSTRAINT admin_log_kind_check;
ALTER TABLE admin_log ADD CONSTRAINT admin_log_kind_check
    CHECK (kind IN ('staff', 'reference', 'roster'));
