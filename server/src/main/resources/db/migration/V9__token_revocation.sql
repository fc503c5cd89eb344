-- Tokens that stop working before they expire (docs/access.md, "Tokens and sessions").
--
-- staff.auth_version is stamped into every token (claim "ver"); a token whose stamp is not the
-- staff row's current one is refused. The trigger bumps it whenever what a token vouches for
-- changes (username, role, scope, password, being enabled), however the row is changed: the API,
-- an import, or an administrator's UPDATE in psql.
ALTER TABLE staff
    ADD COLUMN active        boolean NOT NULL DEFAULT true,
    ADD COLUMN auth_version  integer NOT NULL DEFAULT 1;

CREATE FUNCTION bump_staff_auth_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.auth_version := OLD.auth_version + 1;
    RETURN NEW;
END $$;

CREATE TRIGGER staff_auth_version BEFORE UPDATE ON staff FOR EACH ROW
    WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.role IS DISTINCT FROM NEW.role
          OR OLD.scope_type IS DISTINCT FROM NEW.scope_type OR OLD.grid_id IS DISTINCT FROM NEW.grid_id
          OR OLD.community_id IS DISTINCT FROM NEW.community_id OR OLD.platform IS DISTINCT FROM NEW.platform
          OR OLD.password_hash IS DISTINCT FROM NEW.password_hash OR OLD.active IS DISTINCT FROM NEW.active)
    EXECUTE FUNCTION bump_staff_auth_version();

-- Logged-out tokens (claim "jti") until they would have expired anyway; expired rows are purged.
CREATE TABLE revoked_token (
    jti         text PRIMARY KEY,
    staff_id    bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX revoked_token_expiry_idx ON revoked_token (expires_at);
