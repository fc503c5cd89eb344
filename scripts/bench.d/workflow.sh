# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# The case workflow: actions/s through the full flow over HTTP (intake, then accept, dispatch, start,
# resolve, verify, close), and the time to compute a year's KPIs for all grid workers.
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set to the bench database).
java -jar "$GRIDGOV_JAR" migrate >/dev/null   # a bench database built before the workflow schema gets it now
if [ "$(db_psql -d "$bench_db" -tAc "SELECT count(*) FROM staff WHERE username = 'operator'")" != 1 ]; then
  log "workflow: the bench database predates demo accounts; drop it (DROP DATABASE $bench_db) and run scripts/bench again"
  return 0
fi
read -r lon lat <<<"$(db_psql -d "$bench_db" -tA -F' ' -c "
  SELECT ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom))
  FROM grid g JOIN grid_plan p ON p.id = g.plan_id AND p.status = 'ACTIVE' ORDER BY g.id LIMIT 1")"
year="$(db_psql -d "$bench_db" -tAc "SELECT extract(year FROM reported_at)::int FROM incident GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")"
start_bench_server
log "workflow: full case flow, ${BENCH_WORKFLOW_CLIENTS:-8} clients, ${BENCH_WORKFLOW_SECONDS:-20}s"
java -Xmx1g -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.WorkflowBench "http://127.0.0.1:$port" "$lon" "$lat" \
  "${BENCH_WORKFLOW_SECONDS:-20}" "${BENCH_WORKFLOW_CLIENTS:-8}"
token="$(curl -sf -H 'Content-Type: application/json' -d '{"username":"director","password":"'"$GRIDGOV_DEMO_PASSWORD"'"}' \
  "http://127.0.0.1:$port/api/v1/auth/token" | sed -E 's/.*"token":"([^"]+)".*/\1/')"
# a year's KPIs computed now (no month settled), then with its months that are over settled
# (docs/assessment.md, "Settled months"): the settling timed, as the automatic settlement would run
db_psql -d "$bench_db" -c "DELETE FROM kpi_settled_month" >/dev/null
kpis() {   # label: the year by worker and by grid
  local by t0 t1 out
  for by in worker grid; do
    t0=$(date +%s%N)
    out="$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/analytics/kpis?period=$year&by=$by")"
    t1=$(date +%s%N)
    echo "kpi.$1.year_by_${by}_ms=$(( (t1 - t0) / 1000000 ))"
    echo "kpi.$1.year_by_${by}_units=$(grep -o '"unit":' <<<"$out" | wc -l)"
    echo "kpi.$1.year_by_${by}_settled_months=$(grep -o '"[0-9]\{4\}-[0-9]\{2\}"' <<<"$out" | wc -l)"
  done
}
log "workflow: KPIs of $year by worker and grid, computed now"
kpis live
admin="$(curl -sf -H 'Content-Type: application/json' -d '{"username":"admin","password":"'"$GRIDGOV_DEMO_PASSWORD"'"}' \
  "http://127.0.0.1:$port/api/v1/auth/token" | sed -E 's/.*"token":"([^"]+)".*/\1/')"
t0=$(date +%s%N)
# shellcheck disable=SC2046  # one month per word
settle_months "$port" "$admin" $(months_over "$year")
t1=$(date +%s%N)
settled="$(months_over "$year" | wc -l)"
echo "kpi.settle.months=$settled"
echo "kpi.settle.ms=$(( (t1 - t0) / 1000000 ))"
log "workflow: KPIs of $year, its months over settled"
kpis settled
echo "kpi.year=$year"
echo "kpi.year_cases=$(db_psql -d "$bench_db" -tAc "SELECT count(*) FROM incident WHERE extract(year FROM reported_at) = $year")"
stop_bench_server
