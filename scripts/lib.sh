# shellcheck shell=bash
# Shared shell functions for gridgov's scripts. Sourced, not run.
# Everything here is idempotent: safe to call on every start.

GRIDGOV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GRIDGOV_STATE="${GRIDGOV_STATE:-$GRIDGOV_HOME/.gridgov}"
GRIDGOV_PG_PORT="${GRIDGOV_PG_PORT:-54329}"
GRIDGOV_PG_BIN="${GRIDGOV_PG_BIN:-/usr/lib/postgresql/15/bin}"
PGDATA_DIR="$GRIDGOV_STATE/pgdata"
PGSOCK_DIR="$GRIDGOV_STATE/run"
GRIDGOV_JAR="${GRIDGOV_JAR:-$GRIDGOV_HOME/server/target/gridgov.jar}"   # a copy lets a benchmark run while the tree is rebuilt
# The benchmarks (bench/, org.gridgov.bench) with the server and its libraries; never deployed.
GRIDGOV_BENCH_JAR="${GRIDGOV_BENCH_JAR:-$GRIDGOV_HOME/bench/target/gridgov-bench.jar}"

log() { printf '[gridgov] %s\n' "$*" >&2; }
die() { printf '[gridgov] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# apt packages the stack needs; installs only what is missing.
ensure_packages() {
  local wanted=(postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting postgresql-contrib gdal-bin python3-gdal
                pgbackrest "${MAPSERVER_PACKAGES[@]}" "$@")
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v mvn >/dev/null || missing+=(maven)
  command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
  # The web map is built by the system npm (web-map/pom.xml); any Node ≥ 20.19 already here is used.
  command -v npm >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    apt_get update -qq
    apt_get install -y -qq "${missing[@]}" >/dev/null
  fi
  node_check
}

# apt-get that waits for another apt or unattended-upgrades to finish instead of failing on its
# lock: apt waits up to 15 minutes for the dpkg lock itself; a lists lock held during `update`
# is retried the same way.
apt_get() {
  local i
  for i in $(seq 1 90); do
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 "$@" && return 0
    as_root fuser /var/lib/apt/lists/lock /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock >/dev/null 2>&1 \
      || pgrep -x 'apt-get|apt|dpkg|unattended-upgr' >/dev/null || return 1
    [ "$i" = 1 ] && log "waiting for another package manager to finish"
    sleep 10
  done
  return 1
}

# Vite 8 needs Node 20.19 or newer; say so plainly instead of failing deep inside the build.
node_check() {
  local v
  v="$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=19)?"ok":process.versions.node)' 2>/dev/null || echo none)"
  [ "$v" = ok ] || die "the web map needs Node.js >= 20.19 with npm (found: $v); install it from your distribution or nodesource, then re-run"
}

# The user the private cluster runs as: postgres when we are root (PostgreSQL refuses root).
pg_user() { if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi; }

pg_run() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The postgres user must be able to reach the data directory (or the folder given): a fresh clone
# under a 0700 temporary folder would stop it, so grant search (x) permission on the path above it.
grant_path_to_postgres() {
  [ "$(id -u)" = 0 ] || return 0
  local d="${1:-$GRIDGOV_STATE}"
  while [ "$d" != "/" ]; do
    d="$(dirname "$d")"
    chmod o+x "$d" 2>/dev/null || true
  done
}

db_running() {
  [ -f "$PGDATA_DIR/postmaster.pid" ] && pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

# ---------------------------------------------------------------- roles and secrets (docs/deployment.md)
# The private cluster's roles: the superuser (postgres) has no password and is reached only by peer
# authentication over the 0700 socket directory; the owner runs migrations and owns the schema; the
# server's role reads and writes rows (append-only on incident_event); MapServer's role reads what
# the published layers show. Their passwords are random, generated once into $GRIDGOV_SECRETS.
GRIDGOV_SECRETS="$GRIDGOV_STATE/secrets"
PG_OWNER_ROLE=gridgov_owner
PG_APP_ROLE=gridgov
PG_MAP_ROLE=gridgov_map
# Written into pg_hba.conf by this version: a cluster without it was made the old way (trust, a
# superuser login named gridgov with a published password).
PG_HBA_MARK="# gridgov roles: peer superuser, scram-sha-256 for all others"

# Path of a secret, created with N random bytes (default 32), in hex, the first time; 0600 in a 0700 folder.
secret_file() {
  local f="$GRIDGOV_SECRETS/$1"
  (umask 077; mkdir -p "$GRIDGOV_SECRETS")
  chmod 700 "$GRIDGOV_SECRETS"
  if [ ! -s "$f" ]; then
    (umask 077; head -c "${2:-32}" /dev/urandom | od -An -tx1 | tr -d ' \n' > "$f.tmp" && mv "$f.tmp" "$f")
  fi
  chmod 600 "$f"
  echo "$f"
}

# psql as the superuser, by peer authentication over the socket (runuser -u postgres when root).
db_su_psql() { pg_run "$GRIDGOV_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK_DIR" -p "$GRIDGOV_PG_PORT" -U postgres "$@"; }
db_psql() { db_su_psql "$@"; }

# Refuses a cluster created by an older gridgov (see docs/deployment.md, "Upgrading").
db_require_new_scheme() {
  if ! grep -qF "$PG_HBA_MARK" "$PGDATA_DIR/pg_hba.conf" 2>/dev/null; then
    die "the PostgreSQL cluster in $PGDATA_DIR was created by an older gridgov (a superuser login 'gridgov' with a published password, trust on the socket). Convert it, keeping its data: scripts/db upgrade; or recreate it: scripts/db stop; rm -rf '$PGDATA_DIR'; scripts/db start (docs/deployment.md)"
  fi
}

# Converts a cluster of the old scheme in place: the bootstrap superuser 'gridgov' (which cannot be
# demoted) is renamed postgres and loses its password, pg_hba.conf becomes peer + scram-sha-256,
# the three roles are created, and each database's objects are given to the owner role. Run
# `gridgov.jar migrate` afterwards (scripts/run does) for the grants.
db_upgrade() {
  if grep -qF "$PG_HBA_MARK" "$PGDATA_DIR/pg_hba.conf" 2>/dev/null; then log "the cluster already has gridgov's roles"; return 0; fi
  [ -f "$PGDATA_DIR/PG_VERSION" ] || die "no cluster in $PGDATA_DIR"
  grant_path_to_postgres
  mkdir -p "$PGSOCK_DIR"; [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$PGSOCK_DIR"
  db_running || pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGSOCK_DIR/postgres.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start"
  local old=(pg_run "$GRIDGOV_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK_DIR" -p "$GRIDGOV_PG_PORT" -d postgres)
  log "upgrading the cluster in $PGDATA_DIR to separate roles"
  # the old socket trusts everyone: a second superuser renames the bootstrap one (no session may rename itself)
  "${old[@]}" -U gridgov -c "CREATE ROLE gridgov_upgrade SUPERUSER LOGIN" >/dev/null
  "${old[@]}" -U gridgov_upgrade -c "ALTER ROLE gridgov RENAME TO postgres" -c "ALTER ROLE postgres PASSWORD NULL" >/dev/null
  "${old[@]}" -U postgres -c "DROP ROLE gridgov_upgrade" >/dev/null
  db_write_auth
  pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGSOCK_DIR/postgres.log" -m fast -w -t 60 restart >/dev/null \
    || die "PostgreSQL did not restart"
  chmod 700 "$PGSOCK_DIR"
  db_ensure_roles
  local d
  for d in $(db_su_psql -d postgres -tAc "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'"); do
    log "  database $d: objects to $PG_OWNER_ROLE"
    db_su_psql -d postgres -c "ALTER DATABASE $d OWNER TO $PG_OWNER_ROLE" >/dev/null
    db_su_psql -d "$d" >/dev/null <<SQL
SET client_min_messages = warning;
DO \$\$ DECLARE r record; BEGIN
  -- tables, views (their identity sequences follow), free sequences, functions; not extensions' members
  FOR r IN SELECT c.oid::regclass AS obj, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relowner = 'postgres'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO $PG_OWNER_ROLE', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.obj);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS obj FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND p.proowner = 'postgres'::regrole
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO $PG_OWNER_ROLE', r.obj);
  END LOOP;
END \$\$;
SQL
    db_provision "$d"
  done
  log "upgraded; run 'java -jar gridgov.jar migrate' with the new settings (scripts/run does) to grant the roles their rights"
}

# pg_hba.conf, pg_ident.conf and the socket's mode: the superuser by peer only, all others by password.
db_write_auth() {
  pg_run tee "$PGDATA_DIR/pg_hba.conf" >/dev/null <<HBA
$PG_HBA_MARK
# TYPE  DATABASE  USER      ADDRESS        METHOD
local   all       postgres                 peer map=superuser
local   all       all                      scram-sha-256
host    all       postgres  all            reject
host    all       all       127.0.0.1/32   scram-sha-256
host    all       all       ::1/128        scram-sha-256
HBA
  # Only the OS user that runs the cluster may log in as the superuser.
  pg_run tee "$PGDATA_DIR/pg_ident.conf" >/dev/null <<IDENT
superuser  $(pg_user)  postgres
IDENT
  pg_run tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<CONF
# gridgov: roles (docs/deployment.md)
unix_socket_permissions = 0700
password_encryption = scram-sha-256
CONF
}

db_init_cluster() {
  log "creating private PostgreSQL cluster in $PGDATA_DIR (port $GRIDGOV_PG_PORT)"
  mkdir -p "$PGDATA_DIR" "$PGSOCK_DIR"
  [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$PGDATA_DIR" "$PGSOCK_DIR"
  chmod 700 "$PGDATA_DIR" "$PGSOCK_DIR"
  pg_run "$GRIDGOV_PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  db_write_auth
  pg_run tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<CONF
# gridgov private cluster
listen_addresses = '127.0.0.1'
port = $GRIDGOV_PG_PORT
unix_socket_directories = '$PGSOCK_DIR'
max_connections = 200
shared_buffers = 1GB
work_mem = 32MB
maintenance_work_mem = 512MB
wal_buffers = 16MB
max_wal_size = 4GB
checkpoint_timeout = 15min
# Durability stays on: an incident acknowledged with 201 must survive a crash.
synchronous_commit = on
fsync = on
CONF
}

# Create (first time) and start the private PostgreSQL + PostGIS + pgRouting cluster.
db_start() {
  mkdir -p "$GRIDGOV_STATE"
  grant_path_to_postgres
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then db_init_cluster; fi
  db_require_new_scheme
  mkdir -p "$PGSOCK_DIR"; [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$PGSOCK_DIR"
  chmod 700 "$PGSOCK_DIR"
  backup_configure
  db_local_settings
  if db_running; then
    log "PostgreSQL already running on port $GRIDGOV_PG_PORT"
    backup_reload
  else
    log "starting PostgreSQL on port $GRIDGOV_PG_PORT"
    pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGSOCK_DIR/postgres.log" -w -t 60 start >/dev/null \
      || { tail -20 "$PGSOCK_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
  fi
  backup_stanza
  db_provision gridgov
}

# The three login roles, with the passwords from $GRIDGOV_SECRETS (set again on every start, so a
# secret file replaced by hand takes effect). Passwords go to psql on stdin, never on a command line.
db_ensure_roles() {
  local owner_pw app_pw map_pw
  owner_pw="$(cat "$(secret_file db-owner-password)")"
  app_pw="$(cat "$(secret_file db-password)")"
  map_pw="$(cat "$(secret_file db-map-password)")"
  db_su_psql -d postgres >/dev/null <<SQL
SET log_statement = 'none';
SET client_min_messages = warning;
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_OWNER_ROLE') THEN CREATE ROLE $PG_OWNER_ROLE; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_APP_ROLE') THEN CREATE ROLE $PG_APP_ROLE; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_MAP_ROLE') THEN CREATE ROLE $PG_MAP_ROLE; END IF;
END \$\$;
ALTER ROLE $PG_OWNER_ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$owner_pw';
ALTER ROLE $PG_APP_ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$app_pw';
ALTER ROLE $PG_MAP_ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$map_pw';
-- the owner (migrations, operators) may see what the server's sessions run (pg_stat_activity)
GRANT pg_read_all_stats TO $PG_OWNER_ROLE;
SQL
}

# A database owned by the owner role, with the extensions V1 needs created by the superuser (the
# owner may not), reachable by the server's and MapServer's roles. --fresh drops it first.
# Table grants are not made here: `gridgov.jar migrate` makes them after each migration.
db_provision() {
  local fresh=0
  if [ "${1:-}" = --fresh ]; then fresh=1; shift; fi
  local name="${1:?database name}"
  [[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "bad database name '$name' (lower-case letters, digits, _)"
  db_ensure_roles
  if [ "$fresh" = 1 ]; then db_su_psql -d postgres -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null; fi
  if ! db_su_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    db_su_psql -d postgres -c "CREATE DATABASE $name OWNER $PG_OWNER_ROLE" >/dev/null
  fi
  db_su_psql -d "$name" >/dev/null <<SQL
SET client_min_messages = warning;
REVOKE ALL ON DATABASE $name FROM PUBLIC;
GRANT CONNECT ON DATABASE $name TO $PG_APP_ROLE, $PG_MAP_ROLE;
ALTER SCHEMA public OWNER TO $PG_OWNER_ROLE;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO $PG_APP_ROLE, $PG_MAP_ROLE;
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pgrouting;
CREATE EXTENSION IF NOT EXISTS btree_gist;
SQL
}

# The settings gridgov reads for the private cluster: roles, and passwords by file (docs/deployment.md).
db_export_settings() {
  export GRIDGOV_PG_PORT
  # assigned apart from export, so a failing secret_file stops the script
  GRIDGOV_DB_PASSWORD_FILE="$(secret_file db-password)"
  GRIDGOV_DB_OWNER_PASSWORD_FILE="$(secret_file db-owner-password)"
  GRIDGOV_DB_MAP_PASSWORD_FILE="$(secret_file db-map-password)"
  export GRIDGOV_DB_USER="$PG_APP_ROLE" GRIDGOV_DB_PASSWORD_FILE
  export GRIDGOV_DB_OWNER_USER="$PG_OWNER_ROLE" GRIDGOV_DB_OWNER_PASSWORD_FILE
  export GRIDGOV_DB_MAP_USER="$PG_MAP_ROLE" GRIDGOV_DB_MAP_PASSWORD_FILE
}

db_stop() {
  if db_running; then
    log "stopping PostgreSQL"
    pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null || true
  fi
}

db_url() { echo "jdbc:postgresql://127.0.0.1:$GRIDGOV_PG_PORT/${1:-gridgov}"; }

# The server's jar (and the web map it serves); not the bench module.
build_jar() {
  if [ "${GRIDGOV_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$GRIDGOV_JAR" ]; then
    log "building gridgov"
    (cd "$GRIDGOV_HOME" && mvn -B -q -DskipTests -pl server -am package) || die "build failed"
  fi
}

# The server's jar and the bench module's, in one build (scripts/bench).
build_bench_jars() {
  if [ "${GRIDGOV_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$GRIDGOV_JAR" ] || [ ! -f "$GRIDGOV_BENCH_JAR" ]; then
    log "building gridgov and its benchmarks"
    (cd "$GRIDGOV_HOME" && mvn -B -q -DskipTests -pl bench -am package) || die "build failed"
  fi
}

# ---------------------------------------------------------------- backups (docs/backups.md)
# pgBackRest keeps full and incremental backups of the private cluster, and the WAL PostgreSQL
# pushes to it as each segment fills (archive_command), in one repository; a restore replays that
# WAL up to any time after the first backup. The repository is GRIDGOV_BACKUP_REPO (default
# $GRIDGOV_STATE/backup): put it on another disk, or copy it off the machine (docs/backups.md).
GRIDGOV_BACKUP_REPO="${GRIDGOV_BACKUP_REPO:-$GRIDGOV_STATE/backup}"
GRIDGOV_BACKUP_RETENTION_FULL="${GRIDGOV_BACKUP_RETENTION_FULL:-2}"
GRIDGOV_BACKUP_PROCESSES="${GRIDGOV_BACKUP_PROCESSES:-2}"
# pgbackrest.conf (generated at every start), conf.d/*.conf (the operator's own additions), log/, run/
BACKUP_CONF_DIR="$GRIDGOV_STATE/pgbackrest"
BACKUP_STANZA=gridgov
# This machine's settings of the cluster — where it listens, where its WAL goes — in a file of the
# data directory that postgresql.conf includes last; rewritten at every start (an older cluster
# gets archiving on its next one) and after a restore (a cluster restored on another machine or
# into another state folder takes that one's port, socket and repository).
BACKUP_PG_CONF=gridgov-local.conf
# Present once this state folder takes backups (scripts/db backup, restore): WAL is archived from then on.
BACKUP_ON="$BACKUP_CONF_DIR/archiving"

# pgbackrest alone, for the backup commands: they run from cron, where the build tools and Node
# that ensure_packages checks need not be on the PATH.
ensure_backup_package() {
  dpkg-query -W -f='${Status}' pgbackrest 2>/dev/null | grep -q "install ok installed" && return 0
  log "installing: pgbackrest"
  apt_get update -qq
  apt_get install -y -qq pgbackrest >/dev/null
}

pgbr() { pg_run pgbackrest --config-path="$BACKUP_CONF_DIR" --stanza="$BACKUP_STANZA" "$@"; }

backup_configure() {
  [[ "$GRIDGOV_BACKUP_RETENTION_FULL" =~ ^[1-9][0-9]*$ ]] \
    || die "GRIDGOV_BACKUP_RETENTION_FULL must be a whole number of full backups, at least 1 (got '$GRIDGOV_BACKUP_RETENTION_FULL')"
  [[ "$GRIDGOV_BACKUP_PROCESSES" =~ ^[1-9][0-9]?$ ]] \
    || die "GRIDGOV_BACKUP_PROCESSES must be a whole number from 1 to 99 (got '$GRIDGOV_BACKUP_PROCESSES')"
  case "$GRIDGOV_BACKUP_REPO$BACKUP_CONF_DIR" in
    *[\"\'\$\`\\]*|*' '*) die "the backup repository and state folder paths may not hold quotes, spaces, \$, \` or \\ (archive_command carries them): $GRIDGOV_BACKUP_REPO" ;;
  esac
  [[ "$GRIDGOV_BACKUP_REPO" = /* ]] || GRIDGOV_BACKUP_REPO="$PWD/$GRIDGOV_BACKUP_REPO"
  mkdir -p "$GRIDGOV_BACKUP_REPO" "$BACKUP_CONF_DIR/conf.d" "$BACKUP_CONF_DIR/log" "$BACKUP_CONF_DIR/run"
  grant_path_to_postgres "$GRIDGOV_BACKUP_REPO"
  if [ "$(id -u)" = 0 ]; then
    chown "$(pg_user)" "$GRIDGOV_BACKUP_REPO" "$BACKUP_CONF_DIR" "$BACKUP_CONF_DIR/log" "$BACKUP_CONF_DIR/run"
  fi
  chmod 700 "$GRIDGOV_BACKUP_REPO" "$BACKUP_CONF_DIR/log" "$BACKUP_CONF_DIR/run"
  cat > "$BACKUP_CONF_DIR/pgbackrest.conf.tmp" <<CONF
# Written by scripts/db at every start (docs/backups.md); put settings of your own in conf.d/*.conf.
[global]
repo1-path=$GRIDGOV_BACKUP_REPO
repo1-retention-full=$GRIDGOV_BACKUP_RETENTION_FULL
compress-type=zst
process-max=$GRIDGOV_BACKUP_PROCESSES
# a backup starts with a checkpoint at once instead of waiting up to checkpoint_timeout
start-fast=y
log-path=$BACKUP_CONF_DIR/log
lock-path=$BACKUP_CONF_DIR/run
log-level-console=warn
log-level-file=info
# An unreachable repository must not fill the disk under pg_wal and stop PostgreSQL: past this,
# WAL is dropped with a warning (restores then stop there until the next backup).
archive-push-queue-max=8GB

[$BACKUP_STANZA]
pg1-path=$PGDATA_DIR
pg1-port=$GRIDGOV_PG_PORT
pg1-socket-path=$PGSOCK_DIR
pg1-user=postgres
CONF
  chmod 644 "$BACKUP_CONF_DIR/pgbackrest.conf.tmp"
  mv "$BACKUP_CONF_DIR/pgbackrest.conf.tmp" "$BACKUP_CONF_DIR/pgbackrest.conf"
}

# This machine's settings in the data directory (read at PostgreSQL's next start or reload).
db_local_settings() {
  pg_run tee "$PGDATA_DIR/$BACKUP_PG_CONF" >/dev/null <<CONF
# Written by scripts/db at every start and restore (docs/backups.md): this machine's port and
# socket, and WAL to pgBackRest's repository.
port = $GRIDGOV_PG_PORT
unix_socket_directories = '$PGSOCK_DIR'
archive_mode = on
# Until the first backup (or restore) WAL is let go: without a backup it restores nothing, and a
# cluster that is never backed up (development, tests) need not fill the repository's disk.
archive_command = 'test ! -f "$BACKUP_ON" || pgbackrest --config-path="$BACKUP_CONF_DIR" --stanza=$BACKUP_STANZA archive-push %p'
# a segment is archived at least every minute while anything is written: at most a minute of
# reports is lost with the disk
archive_timeout = 60
CONF
  if ! grep -qF "include_if_exists = '$BACKUP_PG_CONF'" "$PGDATA_DIR/postgresql.conf"; then
    pg_run tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<CONF
# gridgov: this machine's port, socket and WAL archiving (docs/backups.md)
include_if_exists = '$BACKUP_PG_CONF'
CONF
  fi
}

# A cluster already running takes a new archive_command at once; archive_mode needs a restart.
backup_reload() {
  pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" reload >/dev/null
  if [ "$(db_su_psql -d postgres -tAc 'SHOW archive_mode')" != on ]; then
    log "WAL archiving (backups) starts with the next start of PostgreSQL: scripts/db stop && scripts/db start"
  fi
}

# The repository's record of this cluster (idempotent). A repository made for another cluster
# (a data directory created anew beside an old repository) is reported, not fatal: it can still be
# restored from.
backup_stanza() {
  pgbr stanza-create >/dev/null 2>"$BACKUP_CONF_DIR/run/stanza.err" && return 0
  log "WARNING: the backup repository $GRIDGOV_BACKUP_REPO does not accept this cluster: $(tr '\n' ' ' < "$BACKUP_CONF_DIR/run/stanza.err")"
  log "WARNING: its WAL is not archived. If the repository holds an earlier cluster's backups, restore one (scripts/db restore) or move the repository away (mv '$GRIDGOV_BACKUP_REPO' '$GRIDGOV_BACKUP_REPO.old'), then scripts/db start (docs/backups.md)"
  return 1
}

# From now on every WAL segment goes to the repository (the archiver reads the file each time).
backup_turn_on() {
  [ -f "$BACKUP_ON" ] && return 0
  echo "WAL is archived for backups since $(date -u '+%Y-%m-%d %H:%M:%S+00') (docs/backups.md)" > "$BACKUP_ON"
  chmod 644 "$BACKUP_ON"
}

# scripts/db backup [--full|--incr]: an incremental backup holds what changed since the last
# backup of any kind; the first is full whatever was asked. Old backups and their WAL beyond
# GRIDGOV_BACKUP_RETENTION_FULL full ones are expired afterwards.
db_backup() {
  local type=incr
  case "${1:-}" in
    --full) type=full ;;
    --incr|'') type=incr ;;
    *) die "usage: scripts/db backup [--full|--incr]" ;;
  esac
  [ $# -le 1 ] || die "usage: scripts/db backup [--full|--incr]"
  db_running || die "PostgreSQL is not running: start it (scripts/db start), then back up"
  [ "$(db_su_psql -d postgres -tAc 'SHOW archive_mode')" = on ] \
    || die "WAL archiving is off in the running cluster (started before backups existed): restart it (scripts/db stop && scripts/db start), then back up"
  backup_stanza || die "cannot back up into $GRIDGOV_BACKUP_REPO (see above)"
  backup_turn_on
  local t0 t1
  t0=$(date +%s%N)
  pgbr --type="$type" backup || die "the backup failed; pgBackRest's log: $BACKUP_CONF_DIR/log"
  t1=$(date +%s%N)
  local last
  last="$(pgbr info | awk '/ backup: /{b=$0; next} /database size|backup set size/{b=b "\n" $0} END{print b}')"
  log "backup done in $(( (t1 - t0) / 1000000 )) ms:$(printf '%s' "$last" | sed 's/^ */ /' | tr '\n' ';')"
  log "repository: $GRIDGOV_BACKUP_REPO (scripts/db backups lists them)"
}

# The backups in the repository, their times and sizes, and the archived WAL.
db_backups() { pgbr info; }

# Start and stop times (epoch seconds) of each backup in the repository, oldest first, one a line.
backup_times() {
  pgbr info --output=json 2>/dev/null | grep -o '"timestamp":{"start":[0-9]*,"stop":[0-9]*}' \
    | sed 's/.*"start":\([0-9]*\),"stop":\([0-9]*\)}/\1 \2/' || true
}

# T as PostgreSQL should read it, in UTC with microseconds ("2026-12-05 13:45:00.000000+00"), or a
# refusal: an ISO date and time (seconds and fraction optional), with Z or an offset, else local.
backup_parse_time() {
  local t="$1" re='^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$'
  if [[ "$t" =~ $re ]] && date -u -d "$t" '+%Y-%m-%d %H:%M:%S.%6N+00' 2>/dev/null; then return 0; fi
  die "--time '$t' is not a time: give a date and time such as '2026-12-05 14:30:00+08' or '2026-12-05T06:30:00Z' (without an offset: this machine's local time)"
}

# scripts/db restore [--time T]: the cluster as it was at T (default: all the archived WAL), from
# the newest backup that ended before T and the WAL after it. The data directory in use is moved
# aside first and put back if anything fails; it is kept after a success, for the operator to delete.
db_restore() {
  local target="" usage="usage: scripts/db restore [--time 'YYYY-MM-DD HH:MM[:SS[.ffffff]][Z|+hh[:mm]]']"
  while [ $# -gt 0 ]; do
    case "$1" in
      --time) [ $# -ge 2 ] || die "$usage"; target="$2"; shift 2 ;;
      --time=*) target="${1#--time=}"; shift ;;
      *) die "$usage" ;;
    esac
  done
  local at="" at_epoch=""
  if [ -n "$target" ]; then
    at="$(backup_parse_time "$target")" || exit 1
    at_epoch="$(date -u -d "$at" +%s)"
    [ "$at_epoch" -le "$(date +%s)" ] \
      || die "--time '$target' ($at UTC) is in the future; leave out --time to restore everything archived"
  fi
  [ -d "$GRIDGOV_BACKUP_REPO" ] \
    || die "there is no backup to restore from: no repository at $GRIDGOV_BACKUP_REPO (make one with scripts/db backup --full; GRIDGOV_BACKUP_REPO names another repository)"
  backup_configure
  local times first_stop
  times="$(backup_times)"
  [ -n "$times" ] \
    || die "there is no backup to restore from in $GRIDGOV_BACKUP_REPO (make one with scripts/db backup --full; scripts/db backups lists them)"
  # no pipe into head: bash writes echo's lines one by one, and head leaving after the first
  # killed echo by SIGPIPE (141 under pipefail) now and then
  first_stop="${times%%$'\n'*}"
  first_stop="${first_stop#* }"
  if [ -n "$at" ] && [ "$at_epoch" -lt "$first_stop" ]; then
    die "--time '$target' ($at UTC) is before the first backup finished ($(date -u -d "@$first_stop" '+%Y-%m-%d %H:%M:%S+00')); the earliest time that can be restored is that one (scripts/db backups lists them)"
  fi

  local was_running=0
  if db_running; then
    was_running=1
    # push the WAL written so far to the repository, so the restore can reach the latest commits
    pgbr check >/dev/null 2>&1 || log "WARNING: the newest WAL could not be archived (pgbackrest check); the restore may stop short of it"
    log "stopping PostgreSQL for the restore"
    pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 120 stop >/dev/null || die "PostgreSQL did not stop; nothing was changed"
  fi
  local aside=""
  if [ -e "$PGDATA_DIR" ]; then
    aside="$PGDATA_DIR.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    [ ! -e "$aside" ] || die "$aside exists already; wait a second and retry"
    mv "$PGDATA_DIR" "$aside"
    log "the data directory in use is kept, moved aside to $aside"
  fi
  mkdir -p "$PGDATA_DIR"; [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$PGDATA_DIR"
  chmod 700 "$PGDATA_DIR"
  mkdir -p "$PGSOCK_DIR"; [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$PGSOCK_DIR"
  chmod 700 "$PGSOCK_DIR"

  local how=(--type=default)
  [ -z "$at" ] || how=(--type=time "--target=$at" --target-action=promote)
  log "restoring ${at:+to $at UTC }from $GRIDGOV_BACKUP_REPO"
  local ok=1
  pgbr "${how[@]}" --log-level-console=warn restore || ok=0
  if [ $ok = 1 ]; then
    # the backup may come from another machine or state folder: this one's port, socket,
    # repository, and OS user for the superuser's peer login
    db_local_settings
    echo "superuser  $(pg_user)  postgres" | pg_run tee "$PGDATA_DIR/pg_ident.conf" >/dev/null
    pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGSOCK_DIR/postgres.log" -w -t 3600 start >/dev/null || ok=0
  fi
  # WAL is replayed up to the target, then the cluster is promoted and takes writes
  while [ $ok = 1 ] && [ "$(db_su_psql -d postgres -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null || echo dead)" != f ]; do
    db_running || ok=0
    sleep 1
  done
  if [ $ok = 0 ]; then
    tail -15 "$PGSOCK_DIR/postgres.log" >&2 || true
    db_running && pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null
    rm -rf "$PGDATA_DIR"   # the failed attempt: a copy out of the repository, nothing of its own
    if [ -n "$aside" ]; then
      mv "$aside" "$PGDATA_DIR"
      [ $was_running = 0 ] || db_start >/dev/null 2>&1 || true
      die "the restore failed (see PostgreSQL's log above${at:+; if the archive ends before $at, leave out --time}); the data directory is back as it was, in $PGDATA_DIR"
    fi
    die "the restore failed (see PostgreSQL's log above); there was no data directory before it"
  fi
  backup_turn_on
  db_start
  log "restored${at:+ to $at UTC}; PostgreSQL is running on port $GRIDGOV_PG_PORT"
  [ -z "$aside" ] || log "the data directory from before the restore is in $aside: delete it once satisfied (rm -rf '$aside')"
  log "take a full backup now (scripts/db backup --full): later restores then start from the restored state"
}

# ---------------------------------------------------------------- MapServer (OGC publishing)
# gridgov starts MapServer itself: /usr/lib/cgi-bin/mapserv FastCGI workers behind lighttpd (on
# Unix sockets; lighttpd restarts a worker that dies, gridgov one that hangs), with the config file
# and mapfiles generated from the layer
# catalog at every start (docs/ogc.md). These functions install it and clean up after a crash.
MAPSERVER_PACKAGES=(cgi-mapserver mapserver-bin lighttpd fonts-wqy-microhei)
# scripts/cluster (docs/cluster.md): Patroni over etcd manages two PostgreSQL nodes, HAProxy in front;
# the fault suite's FailoverTest starts one, so scripts/test installs them too.
# shellcheck disable=SC2034  # used by scripts/cluster and scripts/test
CLUSTER_PACKAGES=(patroni etcd-server haproxy)
GRIDGOV_MAPSERVER_DIR="${GRIDGOV_MAPSERVER_DIR:-$GRIDGOV_STATE/mapserver}"

mapserver_check() {
  [ -x /usr/lib/cgi-bin/mapserv ] || die "MapServer is not installed (apt-get install ${MAPSERVER_PACKAGES[*]})"
  [ -x /usr/sbin/lighttpd ] || die "lighttpd is not installed"
}

# Stops MapServer processes a killed gridgov left behind, by the pids it recorded (never by name).
mapserver_stop() {
  local pids="$GRIDGOV_MAPSERVER_DIR/pids" pid cmd
  [ -f "$pids" ] || return 0
  while read -r pid; do
    cmd="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    case "$cmd" in mapserv|lighttpd) kill -9 "$pid" 2>/dev/null || true ;; esac
  done < "$pids"
  rm -f "$pids"
}

# ---------------------------------------------------------------- HAProxy in front of gridgov instances
# Shared by scripts/cluster and scripts/bench's district module. haproxy_head: the global and default
# sections. haproxy_http PORT ERRORFILE INSTANCE_PORT...: an HTTP frontend on PORT balancing round
# robin over the instances (gridgov1, gridgov2, ... in the order given) that answer /health 200; a
# refused connection is retried on another instance; HAProxy's own 503 is the file ERRORFILE
# (haproxy_503 writes one).
haproxy_head() {
  cat <<CFG
global
  maxconn 2000
  log stdout format raw local0 warning
defaults
  mode tcp
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 2s
CFG
}

haproxy_http() {
  local bind="$1" errfile="$2" k=0 p; shift 2
  cat <<CFG
frontend http
  bind 127.0.0.1:$bind
  mode http
  option httplog
  timeout client 60s
  default_backend gridgov
backend gridgov
  mode http
  balance roundrobin
  timeout server 60s
  option httpchk GET /health
  http-check expect status 200
  retries 3
  retry-on conn-failure empty-response response-timeout
  option redispatch 1
  errorfile 503 $errfile
  default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 1
CFG
  for p in "$@"; do k=$((k + 1)); echo "  server gridgov$k 127.0.0.1:$p check"; done
}

# HAProxy's own 503 (no instance up) in gridgov's form: problem+json with Retry-After, so a client
# treats it as a database-unavailable 503 and retries (docs/errors.md).
haproxy_503() {
  local body='{"type":"https://gridgov.org/problems/service-unavailable","title":"No gridgov instance is available","status":503,"detail":"every gridgov instance behind the load balancer is down or cannot reach the database; retry"}'
  printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: 5\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: %s\r\n\r\n%s' "${#body}" "$body"
}
