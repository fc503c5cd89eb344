# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, ...) it uses.
# Failover (docs/cluster.md): a cluster of scripts/cluster of its own (two PostgreSQL nodes under
# Patroni, HAProxy, two gridgov instances, the demo subdistrict with 2,000 incidents) in
# $work/failover; intake through HAProxy by BENCH_FAILOVER_THREADS (8) clients that retry with
# their Idempotency-Key; kill -9 of the primary's postmaster, then of one instance. Prints the
# seconds without service, acknowledged reports lost, requests retried, keys stored twice.
log "failover: scripts/cluster in $work/failover (ports 18400-18412, 54500-54511, 24379-24380)"
GRIDGOV_STATE="$work/failover" java -Xmx512m -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.cluster.FailoverBench \
  "$GRIDGOV_HOME" "$work/failover" "${BENCH_FAILOVER_THREADS:-8}" \
  || die "failover: acknowledged reports lost or keys stored twice (see above)"
