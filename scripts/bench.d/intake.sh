# Intake over HTTP (wrk) against the same write straight into PostgreSQL (pgbench), same run.
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set to the bench database).
# Both write into a copy of the bench database (the event log is append-only, so the hundreds of
# thousands of reports they add could never be taken out again and would skew other benches).
intake_db=gridgov_bench_intake
db_psql -d postgres -c "DROP DATABASE IF EXISTS $intake_db WITH (FORCE)" >/dev/null
db_psql -d postgres -c "CREATE DATABASE $intake_db TEMPLATE $bench_db" >/dev/null
GRIDGOV_DB_URL="$(db_url $intake_db)"
# Points inside the subdistrict (on the grids of the active plan) and the subdistrict's categories.
db_psql -d $intake_db -tA -F, -c "
  SELECT ST_X(p.geom), ST_Y(p.geom)
  FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 10000, 42))).geom FROM jurisdiction WHERE kind = 'SUBDISTRICT') p" > "$work/points.txt"
db_psql -d $intake_db -tA -c "SELECT code FROM category WHERE active AND authority = 'SUBDISTRICT'" > "$work/categories.txt"

start_bench_server

log "intake over HTTP: $conns connections, ${seconds}s (after a 5 s warm-up)"
BENCH_POINTS="$work/points.txt" BENCH_CATEGORIES="$work/categories.txt" \
  wrk -t2 -c"$conns" -d5s -s "$GRIDGOV_HOME/scripts/bench.d/intake.lua" "http://127.0.0.1:$port" >/dev/null
BENCH_POINTS="$work/points.txt" BENCH_CATEGORIES="$work/categories.txt" \
  wrk -t2 -c"$conns" -d"${seconds}s" --timeout 5s -s "$GRIDGOV_HOME/scripts/bench.d/intake.lua" "http://127.0.0.1:$port" \
  | grep '^http\.' | tee "$work/http.txt"
stop_bench_server

log "direct insert with pgbench: $conns clients, ${seconds}s"
read -r plan gmin gmax community lon lat <<<"$(db_psql -d $intake_db -tA -F' ' -c "
  SELECT g.plan_id, min(g.id) OVER (), max(g.id) OVER (), g.community_id, ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom))
  FROM grid g WHERE g.plan_id = plan_in_effect() ORDER BY g.id LIMIT 1")"
cat="$(head -1 "$work/categories.txt")"
# pgbench runs as the cluster's user, so its per-transaction logs go to a folder it owns.
pglog="$work/pgbench-log"; rm -rf "$pglog"; mkdir -p "$pglog"; [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$pglog"
(cd "$pglog" && pg_run "$GRIDGOV_PG_BIN/pgbench" -n -h "$PGSOCK_DIR" -p "$GRIDGOV_PG_PORT" -U gridgov -c "$conns" -j 2 -T "$seconds" -M prepared \
    -D plan="$plan" -D gmin="$gmin" -D gmax="$gmax" -D community="$community" -D lon="$lon" -D lat="$lat" -D cat="$cat" \
    -l --log-prefix="$pglog/pgb" -f "$GRIDGOV_HOME/scripts/bench.d/direct.sql" $intake_db > "$work/pgbench.txt" 2>&1) \
    || { cat "$work/pgbench.txt"; die "pgbench failed"; }
direct_tps="$(grep -oP 'tps = \K[0-9.]+' "$work/pgbench.txt" | head -1)"
cat "$pglog"/pgb.* | awk '{print $3}' | sort -n > "$work/direct_latency.txt"
total=$(wc -l < "$work/direct_latency.txt")
p50=$(awk -v n="$total" 'NR==int(n*0.50)+1{printf "%.2f", $1/1000}' "$work/direct_latency.txt")
p99=$(awk -v n="$total" 'NR==int(n*0.99)+1{printf "%.2f", $1/1000}' "$work/direct_latency.txt")
echo "direct.per_s=${direct_tps%.*}"
echo "direct.p50_ms=$p50"
echo "direct.p99_ms=$p99"
http_rate="$(grep -oP 'http.per_s=\K[0-9]+' "$work/http.txt")"
awk -v h="$http_rate" -v d="$direct_tps" 'BEGIN{printf "intake.http_to_direct_ratio=%.2f\n", h/d}'
GRIDGOV_DB_URL="$(db_url $bench_db)"
db_psql -d postgres -c "DROP DATABASE IF EXISTS $intake_db WITH (FORCE)" >/dev/null
