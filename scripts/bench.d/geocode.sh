# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# Geocoding: precision@1 and latency on 1,000 noisy addresses from the demo gazetteer, beside plain
# pg_trgm similarity on the raw text in the same run (docs/benchmarks.md).
log "geocode: normalised trigram matching vs plain pg_trgm on the raw text"
java -Xmx1g -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.GeocodeBench "${BENCH_GEOCODE_ADDRESSES:-1000}"
