# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# Point-to-grid routing: the in-memory index against PostGIS ST_Covers, same points, same threads.
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set to the bench database).
log "routing: in-memory index vs PostGIS ST_Covers"
java -Xmx2g -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.RoutingBench "${BENCH_ROUTING_SECONDS:-10}" 8
