# Shared shell functions for gridgov's scripts. Sourced, not run.
# Everything here is idempotent: safe to call on every start.

GRIDGOV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GRIDGOV_STATE="${GRIDGOV_STATE:-$GRIDGOV_HOME/.gridgov}"
GRIDGOV_PG_PORT="${GRIDGOV_PG_PORT:-54329}"
GRIDGOV_PG_BIN="${GRIDGOV_PG_BIN:-/usr/lib/postgresql/15/bin}"
PGDATA_DIR="$GRIDGOV_STATE/pgdata"
PGSOCK_DIR="$GRIDGOV_STATE/run"
GRIDGOV_JAR="${GRIDGOV_JAR:-$GRIDGOV_HOME/server/target/gridgov.jar}"   # a copy lets a benchmark run while the tree is rebuilt

log() { printf '[gridgov] %s\n' "$*" >&2; }
die() { printf '[gridgov] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# apt packages the stack needs; installs only what is missing.
ensure_packages() {
  local wanted=(postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting postgresql-contrib gdal-bin
                "${MAPSERVER_PACKAGES[@]}" "$@")
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
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  node_check
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

# The postgres user must be able to reach the data directory: a fresh clone under a 0700
# temporary folder would stop it, so grant search (x) permission on the path above it.
grant_path_to_postgres() {
  [ "$(id -u)" = 0 ] || return 0
  local d="$GRIDGOV_STATE"
  while [ "$d" != "/" ]; do
    d="$(dirname "$d")"
    chmod o+x "$d" 2>/dev/null || true
  done
}

db_running() {
  [ -f "$PGDATA_DIR/postmaster.pid" ] && pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

# Create (first time) and start the private PostgreSQL + PostGIS + pgRouting cluster.
db_start() {
  mkdir -p "$GRIDGOV_STATE"
  grant_path_to_postgres
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    log "creating private PostgreSQL cluster in $PGDATA_DIR (port $GRIDGOV_PG_PORT)"
    mkdir -p "$PGDATA_DIR" "$PGSOCK_DIR"
    [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$PGDATA_DIR" "$PGSOCK_DIR"
    chmod 700 "$PGDATA_DIR"
    local pwfile; pwfile="$(mktemp)"; echo gridgov > "$pwfile"; chmod 644 "$pwfile"
    pg_run "$GRIDGOV_PG_BIN/initdb" -D "$PGDATA_DIR" -U gridgov --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    cat >> "$PGDATA_DIR/postgresql.conf" <<CONF
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
  fi
  mkdir -p "$PGSOCK_DIR"; [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$PGSOCK_DIR"
  if db_running; then
    log "PostgreSQL already running on port $GRIDGOV_PG_PORT"
  else
    log "starting PostgreSQL on port $GRIDGOV_PG_PORT"
    pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGSOCK_DIR/postgres.log" -w -t 60 start >/dev/null \
      || { tail -20 "$PGSOCK_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
  fi
  db_ensure_database gridgov
}

db_psql() { pg_run "$GRIDGOV_PG_BIN/psql" -X -q -h "$PGSOCK_DIR" -p "$GRIDGOV_PG_PORT" -U gridgov "$@"; }

db_ensure_database() {
  local name="$1"
  if ! db_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    db_psql -d postgres -c "CREATE DATABASE $name" >/dev/null
  fi
}

db_stop() {
  if db_running; then
    log "stopping PostgreSQL"
    pg_run "$GRIDGOV_PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null || true
  fi
}

db_url() { echo "jdbc:postgresql://127.0.0.1:$GRIDGOV_PG_PORT/${1:-gridgov}"; }

build_jar() {
  if [ "${GRIDGOV_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$GRIDGOV_JAR" ]; then
    log "building gridgov"
    (cd "$GRIDGOV_HOME" && mvn -B -q -DskipTests package) || die "build failed"
  fi
}

# ---------------------------------------------------------------- MapServer (OGC publishing)
# gridgov starts MapServer itself: /usr/lib/cgi-bin/mapserv FastCGI workers (spawn-fcgi -n, one
# Unix socket each, restarted when they crash; or behind lighttpd with
# GRIDGOV_MAPSERVER_TRANSPORT=lighttpd), with the config file and mapfiles generated from the layer
# catalog at every start (docs/ogc.md). These functions install it and clean up after a crash.
MAPSERVER_PACKAGES=(cgi-mapserver mapserver-bin spawn-fcgi lighttpd fonts-wqy-microhei)
GRIDGOV_MAPSERVER_DIR="${GRIDGOV_MAPSERVER_DIR:-$GRIDGOV_STATE/mapserver}"

mapserver_check() {
  [ -x /usr/lib/cgi-bin/mapserv ] || die "MapServer is not installed (apt-get install ${MAPSERVER_PACKAGES[*]})"
  [ -x /usr/sbin/lighttpd ] || die "lighttpd is not installed"
  [ -x /usr/bin/spawn-fcgi ] || die "spawn-fcgi is not installed"
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
