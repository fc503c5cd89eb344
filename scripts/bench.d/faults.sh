# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# Faults under load (docs/faults.md): a gridgov JVM of its own over a copy of the bench database;
# BENCH_FAULTS_KILLS (3) kill -9 of the server during intake, PostgreSQL restarted fast and
# immediate during intake, MapServer workers hung (SIGSTOP) and killed; each followed by the
# client's retry of every request with its Idempotency-Key and a count (acknowledged missing,
# duplicates, recovery time). Then the intake maximum, and a soak of BENCH_SOAK_MINUTES (30) at half
# of it with tiles, heatmaps and BENCH_FAULTS_SCREENS (100) SSE screens: RSS, errors and p99 per
# BENCH_SOAK_WINDOW_MINUTES (5). Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set).
faults_db=gridgov_bench_faults
db_psql -d postgres -c "DROP DATABASE IF EXISTS $faults_db WITH (FORCE)" >/dev/null
db_psql -d postgres -c "CREATE DATABASE $faults_db TEMPLATE $bench_db" >/dev/null
GRIDGOV_DB_URL="$(db_url $faults_db)"
log "faults: kill -9, PostgreSQL restarts, MapServer hang/kill, then a ${BENCH_SOAK_MINUTES:-30}-minute soak"
java -Xmx1g -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.FaultsBench "$GRIDGOV_HOME/scripts/db" "${BENCH_FAULTS_KILLS:-3}" \
  "${BENCH_SOAK_MINUTES:-30}" "${BENCH_SOAK_WINDOW_MINUTES:-5}" "${BENCH_FAULTS_SCREENS:-100}" \
  || die "faults: acknowledged reports lost or duplicated (see above)"
GRIDGOV_DB_URL="$(db_url "$bench_db")"; export GRIDGOV_DB_URL
db_psql -d postgres -c "DROP DATABASE IF EXISTS $faults_db WITH (FORCE)" >/dev/null
