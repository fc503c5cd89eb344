# Grid rebalancing: the method (repair + count + contiguity-preserving local search) against a
# naive baseline (every grid re-grown from scratch, no local search), same data, same run.
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set to the bench database).
log "plans: rebalance keep-the-count and a +30% surge in two communities, method vs naive baseline"
java -Xmx2g -cp "$GRIDGOV_JAR" org.gridgov.bench.PlanningBench
