# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# Aggregation over 1,000,000 incidents: the in-memory copy (bins, Gi*) against PostGIS binning the
# raw points, same filters, same run; then the drift check (0 = the copy equals the table).
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set to the bench database).
log "analytics: in-memory incident points vs PostGIS over raw points"
java -Xmx2g -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.AnalyticsBench "${BENCH_ANALYTICS_REPS:-7}"
