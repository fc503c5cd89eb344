-- Production start (issue #16): accounts made by `java -jar gridgov.jar admin create-user` get a
-- one-time password, and their first login must set a password of their own
-- (docs/access.md, "Passwords"). The demo accounts are not flagged.
ALTER TABLE staff
    ADD COLUMN password_must_change  boolean NOT NULL DEFAULT false,
    ADD COLUMN password_changed_at   timestamptz;
