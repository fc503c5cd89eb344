# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, conns, ...) it uses.
# District scale (docs/benchmarks.md, "District scale"): a district of BENCH_DISTRICT_SUBDISTRICTS
# (20) subdistricts and BENCH_DISTRICT_INCIDENTS (20,000,000) incidents, built once into
# gridgov_district; every figure beside its baseline from the same run:
#   intake through HAProxy to 1, 2 and 3 instances against pgbench's direct single-row insert;
#   reads (heatmap 512², bins over a year, cold incident tiles at z13, KPIs by subdistrict for a
#   year) on the district against the same on the bench database (1M);
#   heap after a full GC and RSS of every instance (each at -Xmx2g);
#   rebalancing subdistrict 1 while intake runs in the others (p99 before and during).
# Failover is scripts/bench failover. Ports: HAProxy BENCH_DISTRICT_HAPROXY_PORT (18600), instances
# BENCH_DISTRICT_INSTANCE_PORT + K (18610 + K), clear of scripts/cluster's.
district_db=gridgov_district
d_subs="${BENCH_DISTRICT_SUBDISTRICTS:-20}"
d_incidents="${BENCH_DISTRICT_INCIDENTS:-20000000}"
d_ha="${BENCH_DISTRICT_HAPROXY_PORT:-18600}"
d_app="${BENCH_DISTRICT_INSTANCE_PORT:-18610}"
d_max_n="${BENCH_DISTRICT_INSTANCES:-3}"
d_rounds="${BENCH_ROUNDS:-3}"
d_secs="${BENCH_DISTRICT_READ_SECONDS:-$(( seconds / 3 > 5 ? seconds / 3 : 5 ))}"
# 500 m: the district's year in 100 m bins is 89,571 cells, over the answer's 20,000 (refused, 400)
d_bin="${BENCH_DISTRICT_BIN_SIZE:-500}"
d_dir="$work/district"; mkdir -p "$d_dir"
d_copy=gridgov_district_intake   # intake writes into a copy: the event log is append-only
ensure_packages haproxy

# Every process this module starts is in d_pids; the EXIT trap stops them (by pid).
d_pids=()
d_stop() {   # pid...: SIGTERM, then wait
  local p
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for p in "$@"; do wait "$p" 2>/dev/null || true; done
}
d_cleanup() { d_stop "${d_pids[@]}"; stop_bench_server; }
trap d_cleanup EXIT

# ---------------------------------------------------------------- the district database, built once
bench_db_ensure $district_db "$d_incidents" district.demo --subdistricts "$d_subs"
bench_db_in_time_order $district_db district.demo
GRIDGOV_DB_URL="$(db_url $district_db)" java -jar "$GRIDGOV_JAR" migrate >/dev/null || die "migrating $district_db failed"
d_q() { db_psql -d "$1" -tAc "$2"; }
echo "district.subdistricts=$(d_q $district_db "SELECT count(*) FROM jurisdiction WHERE kind = 'SUBDISTRICT'")"
echo "district.grids=$(d_q $district_db "SELECT count(*) FROM grid WHERE plan_id IN (SELECT plans_in_effect())")"
echo "district.base_units=$(d_q $district_db "SELECT count(*) FROM base_unit")"
echo "district.incidents=$(d_q $district_db "SELECT count(*) FROM incident")"
echo "district.db_bytes=$(d_q $district_db "SELECT pg_database_size('$district_db')") ($(d_q $district_db "SELECT pg_size_pretty(pg_database_size('$district_db'))"))"
echo "district.base_db_bytes=$(d_q "$bench_db" "SELECT pg_database_size('$bench_db')") ($(d_q "$bench_db" "SELECT count(*) FROM incident") incidents)"
echo "district.free_disk=$(df -h --output=avail "$PGDATA_DIR" | tail -1 | tr -d ' ')"

# ---------------------------------------------------------------- helpers
# d_server NAME PORT DB [env...]: a gridgov instance at -Xmx2g on DB, tile cache off (so every tile
# is cold), its own MapServer folder, its collections logged (gc.log, for the pauses behind a p99),
# the hourly jobs that would run beside the figures off (KPI settlement, reporter retention);
# its pid in d_last (and d_pids). Waits for /health.
d_server() {
  local name="$1" p="$2" db="$3"; shift 3
  mkdir -p "$d_dir/$name"
  env GRIDGOV_DB_URL="$(db_url "$db")" GRIDGOV_PORT="$p" GRIDGOV_HOST=127.0.0.1 GRIDGOV_TILE_CACHE_MB=0 \
    GRIDGOV_MAPSERVER_DIR="$d_dir/$name/mapserver" GRIDGOV_MAPSERVER_WORKERS=1 \
    GRIDGOV_OGC_PUBLIC_LAYERS=subdistrict,communities,grids,heatmap,incidents "${bench_jobs_off[@]}" "$@" \
    java -Xmx2g -Xlog:gc:file="$d_dir/$name/gc.log" -jar "$GRIDGOV_JAR" serve > "$d_dir/$name/server.log" 2>&1 &
  d_last=$!; d_pids+=("$d_last")
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$p/health" >/dev/null && return 0; kill -0 "$d_last" 2>/dev/null || break; sleep 1; done
  tail -20 "$d_dir/$name/server.log"; die "district: instance $name did not start"
}
d_token() {   # port user...: the first of the users that logs in
  local u t
  for u in "${@:2}"; do
    t="$(curl -sf -H 'Content-Type: application/json' -d '{"username":"'"$u"'","password":"'"$GRIDGOV_DEMO_PASSWORD"'"}' \
      "http://127.0.0.1:$1/api/v1/auth/token" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')"
    [ -n "$t" ] && { echo "$t"; return 0; }
  done
  die "district: none of ${*:2} could log in"
}
d_wrk() {   # key url connections seconds [wrk options...] → key.p50_ms, key.p95_ms, key.req_per_s, key.errors
  local key="$1" url="$2" c="$3" s="$4"; shift 4
  BENCH_KEY="$key" wrk -t2 -c"$c" -d"${s}s" --timeout 60s "$@" -s "$GRIDGOV_HOME/scripts/bench.d/ogc.lua" "$url" | grep -E '^[a-z_.0-9]+='
}
d_val() { sed -n "s/^$2=//p" <<<"$1" | head -1; }
d_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
d_p() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else { i = int(NR * q + 0.999999); print v[i < 1 ? 1 : i] } }'; }
d_median() { d_p 0.5; }
# heap in use after a full GC (jcmd GC.run, then GC.heap_info's "used") and RSS, in MB
d_memory() {   # key pid
  jcmd "$2" GC.run >/dev/null 2>&1 || true
  echo "$1.heap_used_after_gc_mb=$(jcmd "$2" GC.heap_info 2>/dev/null | grep -oP 'heap\s+total \d+K, used \K\d+' | head -1 | awk '{printf "%.0f", $1 / 1024}')"
  echo "$1.rss_mb=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$2/status")"
}

# ---------------------------------------------------------------- reads: district against the bench database
# d_reads LABEL DB: one instance on DB; heatmap 512² over the subdistricts' extent (square in
# EPSG:3857, every incident), bins of $d_bin m over a year, every z13 incident tile over the extent
# (cache off) pass after pass to BENCH_COLD_SAMPLES (60), KPIs by subdistrict for the year
# (BENCH_DISTRICT_KPI_REPS, 3, one after another); then the instance's memory.
d_reads() {
  local label="$1" db="$2" p=$((d_app + 9)) token admin m box ext x0 x1 y0 y1 n per out t0 t1
  log "district: reads on $db ($label)"
  d_server "read-$label" "$p" "$db"
  local srv=$d_last
  token="$(d_token "$p" dcommander director)"
  box="$(d_q "$db" "SELECT concat_ws(',', cx - h, cy - h, cx + h, cy + h) FROM (
      SELECT (ST_XMin(e) + ST_XMax(e)) / 2 AS cx, (ST_YMin(e) + ST_YMax(e)) / 2 AS cy,
             greatest(ST_XMax(e) - ST_XMin(e), ST_YMax(e) - ST_YMin(e)) / 2 AS h
      FROM (SELECT ST_Extent(ST_Transform(geom, 3857)) AS e FROM jurisdiction WHERE kind = 'SUBDISTRICT') s) b")"
  local heat="http://127.0.0.1:$p/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:3857&BBOX=$box&WIDTH=512&HEIGHT=512&FORMAT=image/png&TRANSPARENT=TRUE&TIME=1970/current"
  local bins="http://127.0.0.1:$p/api/v1/analytics/bins?size=$d_bin&from=2025-11-01T00:00:00%2B08:00&to=2026-11-01T00:00:00%2B08:00"
  # the first answers wait for the startup work (points into memory); then the JIT's warm-up
  for _ in $(seq 1 600); do curl -sf -o /dev/null "$heat" && break; sleep 1; done
  d_wrk warm "$heat" 4 5 >/dev/null
  d_wrk warm "$bins" 2 3 -H "Authorization: Bearer $token" >/dev/null
  out="$(d_wrk "district.read.heatmap512.$label" "$heat" 4 "$d_secs")"; echo "$out"
  eval "d_heat_$label=$(d_val "$out" "district.read.heatmap512.$label.p95_ms")"
  out="$(d_wrk "district.read.bins_year.$label" "$bins" 2 "$d_secs" -H "Authorization: Bearer $token")"; echo "$out"
  eval "d_bins_$label=$(d_val "$out" "district.read.bins_year.$label.p95_ms")"
  ext="$(d_q "$db" "SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) FROM (SELECT ST_Extent(geom) AS e FROM jurisdiction WHERE kind = 'SUBDISTRICT') s")"
  read -r x0 x1 y0 y1 <<<"$(java -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.TileSql "$ext" incidents:13 | cut -f3-6 | tr '\t' ' ')"
  n=$(( (x1 - x0 + 1) * (y1 - y0 + 1) )); per=$(( (${BENCH_COLD_SAMPLES:-60} + n - 1) / n ))
  for _ in $(seq 1 "$per"); do for x in $(seq "$x0" "$x1"); do for y in $(seq "$y0" "$y1"); do
    printf 'url = "http://127.0.0.1:%s/tiles/incidents/13/%s/%s.mvt"\noutput = "/dev/null"\n' "$p" "$x" "$y"
  done; done; done > "$d_dir/cold.cfg"
  curl -s -o /dev/null "http://127.0.0.1:$p/tiles/incidents/13/$x0/$y0.mvt"   # the tile path's first use
  curl -s -K "$d_dir/cold.cfg" -w '%{time_total} %{http_code}\n' > "$d_dir/cold-$label.txt"
  echo "district.read.tile_z13_cold.$label.tiles=$n"
  echo "district.read.tile_z13_cold.$label.requests=$(wc -l < "$d_dir/cold-$label.txt")"
  echo "district.read.tile_z13_cold.$label.non_200=$(awk '$2 != 200' "$d_dir/cold-$label.txt" | wc -l)"
  echo "district.read.tile_z13_cold.$label.p50_ms=$(awk '{ printf "%.1f\n", $1 * 1000 }' "$d_dir/cold-$label.txt" | d_median)"
  eval "d_tile_$label=$(awk '{ printf "%.1f\n", $1 * 1000 }' "$d_dir/cold-$label.txt" | d_p 0.95)"
  echo "district.read.tile_z13_cold.$label.p95_ms=$(eval echo "\$d_tile_$label")"
  # the year's months that are over are settled (docs/assessment.md), as the automatic settlement
  # would have (off on these instances: it would run beside the figures); those settled by an
  # earlier run are kept, and the time is that of the months settled now
  admin="$(d_token "$p" admin)"
  local settled months secs
  settled="$(curl -sf -H "Authorization: Bearer $admin" "http://127.0.0.1:$p/api/v1/analytics/kpis/settlements")" \
    || die "district: the settled months could not be read"
  # one month computed now, before it is settled (the months not settled yet are computed so): the
  # last month over that has cases
  m="$(d_q "$db" "SELECT to_char(max(reported_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') FROM incident
      WHERE reported_at < date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'")"
  case "$settled" in
    *"\"$m\""*) echo "district.read.kpis_month_live.$label=settled by an earlier run" ;;
    *) t0=$(date +%s%N)
       curl -s -o "$d_dir/kpi.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
         "http://127.0.0.1:$p/api/v1/analytics/kpis?by=subdistrict&period=$m" > "$d_dir/kpi.code"
       t1=$(date +%s%N)
       echo "district.read.kpis_month_live.$label.period=$m"
       echo "district.read.kpis_month_live.$label.status=$(cat "$d_dir/kpi.code")"
       echo "district.read.kpis_month_live.$label.ms=$(( (t1 - t0) / 1000000 ))" ;;
  esac
  local todo=()
  for m in $(months_over 2026); do
    case "$settled" in *"\"$m\""*) ;; *) todo+=("$m") ;; esac
  done
  months=${#todo[@]}
  t0=$(date +%s%N)
  settle_months "$p" "$admin" "${todo[@]}"
  t1=$(date +%s%N); secs=$(( (t1 - t0) / 1000000000 ))
  echo "district.kpi_settle.$label.months_settled_now=$months"
  echo "district.kpi_settle.$label.seconds=$secs"
  if [ "$months" -gt 0 ]; then echo "district.kpi_settle.$label.seconds_per_month=$((secs / months))"; fi
  : > "$d_dir/kpi-$label.txt"
  for _ in $(seq 1 "${BENCH_DISTRICT_KPI_REPS:-3}"); do
    t0=$(date +%s%N)
    curl -s -o "$d_dir/kpi.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$p/api/v1/analytics/kpis?by=subdistrict&period=2026" > "$d_dir/kpi.code"
    t1=$(date +%s%N)
    [ "$(cat "$d_dir/kpi.code")" = 200 ] || { log "district: KPIs answered $(cat "$d_dir/kpi.code"): $(head -c 300 "$d_dir/kpi.json")"; break; }
    echo $(( (t1 - t0) / 1000000 )) >> "$d_dir/kpi-$label.txt"
  done
  echo "district.read.kpis_year_by_subdistrict.$label.units=$(grep -o '"unit":' "$d_dir/kpi.json" | wc -l)"
  echo "district.read.kpis_year_by_subdistrict.$label.settled_months=$(grep -o '"[0-9]\{4\}-[0-9]\{2\}"' "$d_dir/kpi.json" | wc -l)"
  eval "d_kpi_$label=$(d_median < "$d_dir/kpi-$label.txt")"
  echo "district.read.kpis_year_by_subdistrict.$label.median_ms=$(eval echo "\$d_kpi_$label") (of $(wc -l < "$d_dir/kpi-$label.txt"))"
  d_memory "district.memory.reader.$label" "$srv"
  d_stop "$srv"
}
d_reads district $district_db
d_reads base "$bench_db"
for k in heat bins tile kpi; do
  eval "echo \"district.read.${k}_district_over_base=\$(d_ratio \"\$d_${k}_district\" \"\$d_${k}_base\")\""
done

# ---------------------------------------------------------------- intake: 1..3 instances behind HAProxy
log "district: intake copy $d_copy of $district_db"
db_psql -d postgres -c "DROP DATABASE IF EXISTS $d_copy WITH (FORCE)" >/dev/null
db_psql -d postgres -c "CREATE DATABASE $d_copy TEMPLATE $district_db OWNER $PG_OWNER_ROLE STRATEGY FILE_COPY" >/dev/null
# the copy's 17 GB on disk before any figure, not written back during the first one
db_psql -d postgres -c "CHECKPOINT" >/dev/null; sync
intake_fixture $d_copy
# subdistrict 1 (lowest code): its plan is rebalanced below while reports go to the others
read -r sub1 sub1_plan <<<"$(d_q $d_copy "SELECT id, plan_in_effect(now(), id) FROM jurisdiction WHERE kind = 'SUBDISTRICT' ORDER BY code LIMIT 1" | tr '|' ' ')"
db_psql -d $d_copy -tA -F, -c "
  SELECT ST_X(p.geom), ST_Y(p.geom) FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 10000, 43))).geom
  FROM jurisdiction WHERE kind = 'SUBDISTRICT' AND id <> $sub1) p" > "$d_dir/points-others.txt"
[ -s "$d_dir/points-others.txt" ] || cp "$work/points.txt" "$d_dir/points-others.txt"   # a district of one
haproxy_503 > "$d_dir/haproxy-503.http"
d_intake_wrk() {   # seconds points [base url] → http.* lines
  BENCH_POINTS="$2" BENCH_CATEGORIES="$work/categories.txt" \
    wrk -t2 -c"$conns" -d"$1s" --timeout 5s -s "$GRIDGOV_HOME/scripts/bench.d/intake.lua" "${3:-http://127.0.0.1:$d_ha}" | grep '^http\.'
}
inst=(); ha=""
for n in $(seq 1 "$d_max_n"); do
  log "district: intake, $n instance(s) behind HAProxy :$d_ha, against direct insert, ${seconds}s each"
  while [ ${#inst[@]} -lt "$n" ]; do
    k=$(( ${#inst[@]} + 1 ))
    d_server "intake$k" $((d_app + k)) $d_copy GRIDGOV_TRUSTED_PROXIES=127.0.0.1; inst+=("$d_last")
  done
  [ -z "$ha" ] || d_stop "$ha"
  # shellcheck disable=SC2046  # one port per instance
  { haproxy_head; haproxy_http "$d_ha" "$d_dir/haproxy-503.http" $(for k in $(seq 1 "$n"); do echo $((d_app + k)); done); } > "$d_dir/haproxy.cfg"
  haproxy -c -q -f "$d_dir/haproxy.cfg" || die "district: HAProxy refused $d_dir/haproxy.cfg"
  haproxy -W -db -f "$d_dir/haproxy.cfg" > "$d_dir/haproxy.log" 2>&1 &
  ha=$!; d_pids+=("$ha")
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$d_ha/health" && break; sleep 0.2; done
  # a district-wide operator reports anywhere in the district (subdistrict 1's operator in a district of one)
  export BENCH_TOKEN; BENCH_TOKEN="$(d_token "$d_ha" doperator operator)"
  d_intake_wrk 10 "$work/points.txt" >/dev/null   # warm-up (the new instance's JIT), as intake's
  direct_insert $d_copy 5 >/dev/null
  # alternating rounds, as intake's: one pair on these machines can be off by a third
  : > "$d_dir/rounds-n$n.txt"
  for r in $(seq 1 "$d_rounds"); do
    h="$(d_intake_wrk "$seconds" "$work/points.txt")"
    d="$(direct_insert $d_copy "$seconds")"
    echo "$(d_val "$h" http.per_s) $(d_val "$h" http.p50_ms) $(d_val "$h" http.p99_ms) $(d_val "$h" http.non_2xx) $(d_val "$h" http.socket_errors)" \
      "$(d_val "$d" direct.per_s) $(d_val "$d" direct.p50_ms) $(d_val "$d" direct.p99_ms)" \
      "$(d_ratio "$(d_val "$h" http.per_s)" "$(d_val "$d" direct.per_s)")" >> "$d_dir/rounds-n$n.txt"
    log "district: n=$n round $r: http $(d_val "$h" http.per_s)/s p99 $(d_val "$h" http.p99_ms) ms | direct $(d_val "$d" direct.per_s)/s | $(tail -1 "$d_dir/rounds-n$n.txt" | awk '{print $NF}')"
  done
  col=1
  for k in http_per_s http_p50_ms http_p99_ms http_non_2xx http_socket_errors direct_per_s direct_p50_ms direct_p99_ms http_to_direct_ratio; do
    if [ "$k" = http_non_2xx ] || [ "$k" = http_socket_errors ]; then v="$(awk -v c=$col '{ s += $c } END { print s }' "$d_dir/rounds-n$n.txt")"
    else v="$(awk -v c=$col '{ print $c }' "$d_dir/rounds-n$n.txt" | d_median) (median of $d_rounds)"; fi
    echo "district.intake.n$n.$k=$v"; col=$((col + 1))
  done
done
k=0; for p in "${inst[@]}"; do k=$((k + 1)); d_memory "district.memory.intake$k" "$p"; done

# ---------------------------------------------------------------- rebalancing subdistrict 1 under load
# Reports into the other subdistricts through HAProxy, in chunks of BENCH_DISTRICT_CHUNK_SECONDS (2):
# p99 per chunk, before (as many chunks as fit in $seconds) and while subdistrict 1's plan is
# rebalanced (a job started on instance 1 and polled there: jobs live in the instance that runs them).
chunk="${BENCH_DISTRICT_CHUNK_SECONDS:-2}"
d_chunk() { d_intake_wrk "$chunk" "$d_dir/points-others.txt" | sed -n 's/^http.p99_ms=//p'; }
log "district: rebalancing subdistrict 1 (plan $sub1_plan) while reports go to the others"
: > "$d_dir/p99-before.txt"
for _ in $(seq 1 $(( seconds / chunk > 1 ? seconds / chunk : 2 ))); do d_chunk >> "$d_dir/p99-before.txt"; done
planner="$(d_token $((d_app + 1)) planner)"
job_url="http://127.0.0.1:$((d_app + 1))/api/v1"
t0=$(date +%s%N)
job="$(curl -sf -H "Authorization: Bearer $planner" -H 'Content-Type: application/json' -d '{"mode":"keepCount"}' \
  "$job_url/plans/$sub1_plan/rebalance" | sed -E 's/.*"jobId":"([^"]+)".*/\1/')"
[ -n "$job" ] || die "district: the rebalance job did not start"
(
  while :; do
    st="$(curl -sf -H "Authorization: Bearer $planner" "$job_url/jobs/$job")"
    grep -q '"status":"RUNNING"' <<<"$st" || break
    sleep 0.05
  done
  echo "$(date +%s%N) $st" > "$d_dir/job.done"
) &
poller=$!; d_pids+=("$poller")
rm -f "$d_dir/job.done"; : > "$d_dir/p99-during.txt"
while kill -0 "$poller" 2>/dev/null; do d_chunk >> "$d_dir/p99-during.txt"; done
wait "$poller" 2>/dev/null || true
read -r t1 st < "$d_dir/job.done"
grep -q '"status":"DONE"' <<<"$st" || log "district: rebalance job $job: $st"
echo "district.rebalance.subdistrict1_job_seconds=$(awk "BEGIN{printf \"%.2f\", ($t1 - $t0) / 1e9}") ($(sed -E 's/.*"status":"([A-Z]+)".*/\1/' <<<"$st"))"
for w in before during; do
  echo "district.rebalance.others_p99_ms.$w=median $(d_median < "$d_dir/p99-$w.txt"), max $(d_p 1 < "$d_dir/p99-$w.txt") (of $(wc -l < "$d_dir/p99-$w.txt") chunks of ${chunk}s)"
done
d_cleanup; d_pids=()
db_psql -d postgres -c "DROP DATABASE IF EXISTS $d_copy WITH (FORCE)" >/dev/null
echo "district.failover=see scripts/bench failover (seconds without service, acknowledged loss; docs/cluster.md)"
