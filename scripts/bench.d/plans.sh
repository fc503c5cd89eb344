# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# Grid rebalancing: the method (repair + count + contiguity-preserving local search) against a
# naive baseline (every grid re-grown from scratch, no local search), same data, same run; on
# the demo subdistrict (the bench database) and on a second generated one of 6,000 units / 60
# basic grids with another seed and community layout (BENCH_B_SEED, BENCH_B_COMMUNITIES,
# BENCH_B_HOUSEHOLDS_PER_GRID), built once into its own database.
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set to the bench database).

# The first rebalance job of a freshly started server, end to end over HTTP (202, then polling
# GET /api/v1/jobs/{id} until DONE: unit graph — built in the background at start —, workload,
# engine, writing the draft), then a second job in the same process. $1: the database.
plans_http_jobs() {
  start_bench_server
  local token active run t0 t1 job st
  token="$(curl -sf -H 'Content-Type: application/json' -d '{"username":"planner","password":"'"$GRIDGOV_DEMO_PASSWORD"'"}' \
    "http://127.0.0.1:$port/api/v1/auth/token" | sed -E 's/.*"token":"([^"]+)".*/\1/')"
  active="$(db_psql -d "$1" -tAc 'SELECT plan_in_effect()')"
  for run in first second; do
    t0=$(date +%s%N)
    job="$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"mode":"keepCount"}' \
      "http://127.0.0.1:$port/api/v1/plans/$active/rebalance" | sed -E 's/.*"jobId":"([^"]+)".*/\1/')"
    while :; do
      st="$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/jobs/$job")"
      grep -q '"status":"RUNNING"' <<<"$st" || break
      sleep 0.02
    done
    t1=$(date +%s%N)
    grep -q '"status":"DONE"' <<<"$st" || { log "plans: rebalance job $job: $st"; break; }
    echo "plans.http.${run}_job_seconds=$(awk "BEGIN{printf \"%.3f\", ($t1 - $t0) / 1e9}")"
    for phase in graph workload engine write; do
      echo "plans.http.${run}_job_${phase}_seconds=$(sed -E "s/.*\"${phase}Seconds\":([0-9.]+).*/\\1/" <<<"$st")"
    done
  done
  stop_bench_server
}
log "plans: rebalance keep-the-count and a +30% surge in two communities, method vs naive baseline"
echo "plans.area=demo"
java -Xmx2g -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.PlanningBench

plans_http_jobs "$bench_db"

bench_b=gridgov_bench_b
b_seed="${BENCH_B_SEED:-20261125}"
b_comm="${BENCH_B_COMMUNITIES:-18}"
b_hh="${BENCH_B_HOUSEHOLDS_PER_GRID:-420}"
b_url="$(db_url $bench_b)"
b_have="$(db_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$bench_b'" || true)"
if [ "$b_have" = 1 ]; then
  [ "$(db_psql -d $bench_b -tAc "SELECT count(*) FROM incident" 2>/dev/null || echo 0)" -ge "$incidents" ] 2>/dev/null || b_have=""
fi
if [ "$b_have" != 1 ]; then
  log "building $bench_b: seed $b_seed, $b_comm communities, $incidents incidents (once)"
  # provisioned as the main bench database is (owner role, grants): a database made by the
  # superuser leaves the owner role unable to create in its public schema
  db_provision --fresh $bench_b
  GRIDGOV_DB_URL="$b_url" java -Xmx4g -jar "$GRIDGOV_JAR" migrate
  GRIDGOV_DB_URL="$b_url" java -Xmx4g -jar "$GRIDGOV_JAR" demo --incidents "$incidents" --seed "$b_seed" \
    --communities "$b_comm" --households-per-grid "$b_hh" --anchor "$bench_anchor"
  db_psql -d $bench_b -c "VACUUM ANALYZE" >/dev/null
fi
GRIDGOV_DB_URL="$b_url" java -jar "$GRIDGOV_JAR" migrate || die "migrating $bench_b failed"
echo "plans.area=second (seed $b_seed, $b_comm communities)"
GRIDGOV_DB_URL="$b_url" java -Xmx2g -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.PlanningBench
GRIDGOV_DB_URL="$b_url" plans_http_jobs $bench_b
