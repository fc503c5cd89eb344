# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# The command centre's live picture through HTTP on a server over a copy of the bench database
# (the bench posts reports and positions): bins and hot spots for a year (p50/p95), nearest
# responders (p50/p95), SSE fan-out to BENCH_SCREENS (200) screens (delivery latency p50/p99).
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set to the bench database).
live_db=gridgov_bench_live
db_psql -d postgres -c "DROP DATABASE IF EXISTS $live_db WITH (FORCE)" >/dev/null
db_psql -d postgres -c "CREATE DATABASE $live_db TEMPLATE $bench_db OWNER $PG_OWNER_ROLE" >/dev/null
GRIDGOV_DB_URL="$(db_url $live_db)"
start_bench_server
java -Xmx1g -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.LiveBench "http://127.0.0.1:$port" "${BENCH_SCREENS:-200}"
stop_bench_server
GRIDGOV_DB_URL="$(db_url "$bench_db")"; export GRIDGOV_DB_URL
db_psql -d postgres -c "DROP DATABASE IF EXISTS $live_db WITH (FORCE)" >/dev/null
