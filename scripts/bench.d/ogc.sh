# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# OGC publishing (docs/ogc.md): heatmap GetMap through the gateway (gridgov's in-memory renderer)
# against MapServer's kernel density direct; grids GetMap through two paths to the same
# MapServer (a TCP twin of its lighttpd direct, gateway→lighttpd) in alternating rounds;
# vector tile time vs the bare ST_AsMVT SQL per zoom.
# Two bench servers on the bench database, 4 MapServer workers each: A (port $port, tile cache
# off) and B (port $port+1, BENCH_OGC_B_PORT, tile cache on); the coldtiles part starts a third, C
# (port $port+3, tile cache off, incident tiles through SQL at every zoom).
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL = the bench database, $port, $work, $seconds).
log "ogc: heatmap, gateway vs MapServer direct, grids GetMap, MVT"
ogc_secs="${BENCH_OGC_SECONDS:-$(( seconds / 3 > 5 ? seconds / 3 : 5 ))}"
rounds="${BENCH_OGC_ROUNDS:-5}"
round_secs="${BENCH_OGC_ROUND_SECONDS:-4}"
fport="${BENCH_OGC_B_PORT:-$(( port + 1 ))}"
export GRIDGOV_MAPSERVER_DIR="$work/mapserver" GRIDGOV_MAPSERVER_WORKERS=4 GRIDGOV_TILE_CACHE_MB=0
export GRIDGOV_OGC_PUBLIC_LAYERS=subdistrict,communities,roads,grids,heatmap,workload,incidents,base_units
start_bench_server
# B keeps its tile cache on (256 MB): the warm tile figures come from it.
GRIDGOV_MAPSERVER_DIR="$work/mapserver-b" GRIDGOV_PORT=$fport GRIDGOV_HOST=127.0.0.1 GRIDGOV_TILE_CACHE_MB=256 \
  java -Xmx2g -jar "$GRIDGOV_JAR" serve > "$work/server-b.log" 2>&1 &
b_server=$!
trap 'stop_bench_server; kill $b_server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$fport/health" >/dev/null && break; sleep 1; done
sleep 15   # both servers load the 1M incident points for the heatmap after they listen (a few seconds)
curl -sf "http://127.0.0.1:$fport/health" >/dev/null || { tail -20 "$work/server-b.log"; die "bench server B did not start"; }
# gridgov's lighttpd answers only on a Unix socket (docs/ogc.md) and wrk needs TCP: the direct
# legs use a twin of server A's lighttpd (same config, mapfiles and worker count) on a local port.
ms_port=$(( port + 2 ))
sed -e "s|^server.bind = .*|server.bind = \"127.0.0.1\"\nserver.port = $ms_port|" -e '/^server.socket-perms/d' \
    -e 's|/mapserv.sock"|/mapserv-twin.sock"|' -e 's|/lighttpd.log"|/lighttpd-twin.log"|' \
    "$GRIDGOV_MAPSERVER_DIR/lighttpd.conf" > "$work/lighttpd-twin.conf"
/usr/sbin/lighttpd -D -f "$work/lighttpd-twin.conf" > "$work/lighttpd-twin.out" 2>&1 &
ms_twin=$!
trap 'stop_bench_server; pkill -P $ms_twin mapserv; kill $b_server $ms_twin 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$ms_port/" && break; sleep 0.2; done
gw="http://127.0.0.1:$port/ows"
# subdistrict_id=0: what the gateway writes for a district-wide caller (without it MapServer's
# per-subdistrict layers and heatmap draw nothing, docs/ogc.md "Isolation by subdistrict")
direct="http://127.0.0.1:$ms_port/mapserv?map=public&subdistrict_id=0&"
lua="$GRIDGOV_HOME/scripts/bench.d/ogc.lua"
# The subdistrict, square in EPSG:3857 (square pixels for the heatmap).
b3857="13386900,3524000,13393800,3530900"
heat="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:3857&BBOX=$b3857&FORMAT=image/png&TRANSPARENT=TRUE"
grids="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=grids&STYLES=&CRS=EPSG:3857&BBOX=$b3857&WIDTH=512&HEIGHT=512&FORMAT=image/png"
# Every incident through the gateway: without TIME the heatmap shows the last 30 days of the clock
# (docs/ogc.md, "Time"), past the bench data's end. MapServer direct filters by no time.
alltime="&TIME=1970/current"
filter="&from=2026-01-01&to=2026-06-30&category=$(db_psql -d "$bench_db" -tAc "SELECT category FROM incident GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")"

run_wrk() {  # key url connections seconds
  BENCH_KEY="$1" wrk -t2 -c"$3" -d"$4s" --timeout 60s -s "$lua" "$2" | grep -E '^[a-z_.0-9]+='
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
val() { echo "$1" | sed -n "s/^$2=//p"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else print v[int((NR + 1) / 2)] }'; }

# BENCH_OGC_PARTS picks sections (default all): heatmap, grids (with the WFS figure), tiles,
# coldtiles (incident tiles from memory against the SQL path), features (OGC API Features paging
# and the ogr2ogr copy against WFS).
part() { [[ " ${BENCH_OGC_PARTS:-heatmap grids tiles coldtiles features} " == *" $1 "* ]]; }
if part heatmap; then
run_wrk warm "$gw?$heat&WIDTH=512&HEIGHT=512$alltime" 4 5 >/dev/null   # the renderer's JIT, after the startup work
h512="$(run_wrk ogc.heatmap512.gateway "$gw?$heat&WIDTH=512&HEIGHT=512$alltime" 4 "$ogc_secs")"; echo "$h512"
h1024="$(run_wrk ogc.heatmap1024.gateway "$gw?$heat&WIDTH=1024&HEIGHT=1024$alltime" 4 "$ogc_secs")"; echo "$h1024"
hf="$(run_wrk ogc.heatmap512_filtered.gateway "$gw?$heat&WIDTH=512&HEIGHT=512$filter" 4 "$ogc_secs")"; echo "$hf"
# MapServer 8.0.0 kernel density over the snapped raw points (2-pixel grid in SQL): seconds a map.
hm="$(run_wrk ogc.heatmap512.mapserver_direct "${direct}$heat&WIDTH=512&HEIGHT=512" 2 "$(( ogc_secs * 2 ))")"; echo "$hm"
hmf="$(run_wrk ogc.heatmap512_filtered.mapserver_direct "${direct}$heat&WIDTH=512&HEIGHT=512$filter" 2 "$(( ogc_secs * 2 ))")"; echo "$hmf"
echo "ogc.heatmap512.mapserver_over_gridgov_p50=$(ratio "$(val "$hm" ogc.heatmap512.mapserver_direct.p50_ms)" "$(val "$h512" ogc.heatmap512.gateway.p50_ms)")"
echo "ogc.heatmap512_filtered.mapserver_over_gridgov_p50=$(ratio "$(val "$hmf" ogc.heatmap512_filtered.mapserver_direct.p50_ms)" "$(val "$hf" ogc.heatmap512_filtered.gateway.p50_ms)")"
# The same heatmap over raw points (one row per incident, no snapping): MapServer's kernel density
# over the published mapfile with only the source SQL changed, run as `mapserv` on the command line
# (a copy of the map under its own alias; the deployed one never serves raw points because 8.0.0
# crashes on more than about width×height/3 of them). Sequential maps, BENCH_OGC_RAW_MAPS (3) each.
raw_maps="${BENCH_OGC_RAW_MAPS:-3}"
perl -pe 's/SELECT min\(id\) AS id, count\(\*\)::int AS n, ST_SnapToGrid\(location, .*? \/ %width% \* 2(, [0-9.]+\))?\) AS geom/SELECT id, 1 AS n, location AS geom/; s/ GROUP BY 3( HAVING count\(\*\) >= 3)?\) AS t USING UNIQUE id/) AS t USING UNIQUE id/' \
  "$GRIDGOV_MAPSERVER_DIR/public.map" > "$GRIDGOV_MAPSERVER_DIR/raw.map"
grep -q 'SELECT id, 1 AS n, location AS geom' "$GRIDGOV_MAPSERVER_DIR/raw.map" || die "could not derive the raw-points heatmap map from public.map"
sed 's|^  MAPS$|  MAPS\n    "raw" "'"$GRIDGOV_MAPSERVER_DIR"'/raw.map"|' "$GRIDGOV_MAPSERVER_DIR/mapserver.conf" > "$GRIDGOV_MAPSERVER_DIR/raw.conf"
raw_heatmap() {   # key extra-params points-in-view
  local key="$1" t0 t1 rc ok=0 total=0 why=""
  for _ in $(seq 1 "$raw_maps"); do
    t0=$(date +%s%N)
    rc=0
    MAPSERVER_CONFIG_FILE="$GRIDGOV_MAPSERVER_DIR/raw.conf" PGPASSFILE="$GRIDGOV_MAPSERVER_DIR/pgpass" timeout 300 /usr/lib/cgi-bin/mapserv "QUERY_STRING=map=raw&subdistrict_id=0&$heat&WIDTH=512&HEIGHT=512$2" > "$work/raw.out" 2>&1 || rc=$?
    t1=$(date +%s%N)
    if [ "$rc" = 0 ] && head -c 40 "$work/raw.out" | grep -q '^Content-Type: image/png'; then
      ok=$(( ok + 1 )); total=$(( total + (t1 - t0) / 1000000 ))
    else
      why="exit status $rc after $(( (t1 - t0) / 1000000 )) ms$( [ "$rc" -le 128 ] || echo " (signal $(( rc - 128 )))")"; break
    fi
  done
  echo "$key.points_in_view=$3"
  if [ "$ok" -gt 0 ]; then echo "$key.mean_ms=$(( total / ok ))"; else echo "$key.failed=$why"; fi
}
nall="$(db_psql -d "$bench_db" -tAc "SELECT count(*) FROM incident")"
nfilt="$(db_psql -d "$bench_db" -tAc "SELECT count(*) FROM incident WHERE reported_at >= '2026-01-01'::timestamp AT TIME ZONE 'Asia/Shanghai' AND reported_at < '2026-07-01'::timestamp AT TIME ZONE 'Asia/Shanghai' AND category = '${filter##*category=}'")"
raw_heatmap ogc.heatmap512_filtered.mapserver_raw "$filter" "$nfilt" | tee "$work/raw.txt"
raw_heatmap ogc.heatmap512.mapserver_raw "" "$nall" | tee -a "$work/raw.txt"
rawf="$(sed -n 's/^ogc.heatmap512_filtered.mapserver_raw.mean_ms=//p' "$work/raw.txt")"
[ -n "$rawf" ] && echo "ogc.heatmap512_filtered.mapserver_raw_over_gridgov_p50=$(ratio "$rawf" "$(val "$hf" ogc.heatmap512_filtered.gateway.p50_ms)")"
rawa="$(sed -n 's/^ogc.heatmap512.mapserver_raw.mean_ms=//p' "$work/raw.txt")"
[ -n "$rawa" ] && echo "ogc.heatmap512.mapserver_raw_over_gridgov_p50=$(ratio "$rawa" "$(val "$h512" ogc.heatmap512.gateway.p50_ms)")"
fi
if part grids; then
# The same MapServer map two ways, same connections (8) and workers (4), alternating order per
# round; the median of the rounds is reported (this machine is shared, single runs are noisy).
paths=(direct gateway_lighttpd)
declare -A url=([direct]="${direct}$grids" [gateway_lighttpd]="$gw?$grids")
: > "$work/ogc-rounds.txt"
# Warm-up: MapServer's workers, and the JIT for the gateway's relay path (a fresh JVM keeps its C2
# compiler busy for about a minute of this traffic, which would otherwise be charged to the gateway).
warm_secs="${BENCH_OGC_WARM_SECONDS:-45}"
for path in "${paths[@]}"; do run_wrk warm "${url[$path]}" 8 "$warm_secs" >/dev/null; done
for r in $(seq 1 "$rounds"); do
  for i in 0 1; do
    path="${paths[$(( (i + r) % 2 ))]}"
    run_wrk "ogc.grids512.$path" "${url[$path]}" 8 "$round_secs" >> "$work/ogc-rounds.txt"
  done
done
for path in "${paths[@]}"; do
  for f in req_per_s p50_ms p95_ms; do
    echo "ogc.grids512.$path.$f=$(sed -n "s/^ogc\.grids512\.$path\.$f=//p" "$work/ogc-rounds.txt" | median)"
  done
  echo "ogc.grids512.$path.errors=$(sed -n "s/^ogc\.grids512\.$path\.errors=//p" "$work/ogc-rounds.txt" | awk '{ s += $1 } END { print s + 0 }')"
done | tee "$work/ogc-medians.txt"
m() { sed -n "s/^ogc\.grids512\.$1\.$2=//p" "$work/ogc-medians.txt"; }
echo "ogc.grids512.rounds=$rounds"
echo "ogc.grids512.gateway_lighttpd_over_direct_throughput=$(ratio "$(m gateway_lighttpd req_per_s)" "$(m direct req_per_s)")"
# Per-round ratios too, to show the spread.
for r in $(seq 1 "$rounds"); do
  d="$(sed -n 's/^ogc\.grids512\.direct\.req_per_s=//p' "$work/ogc-rounds.txt" | sed -n "${r}p")"
  l="$(sed -n 's/^ogc\.grids512\.gateway_lighttpd\.req_per_s=//p' "$work/ogc-rounds.txt" | sed -n "${r}p")"
  echo "ogc.grids512.round$r=direct:$d gateway_lighttpd:$l ($(ratio "$l" "$d"))"
done
wfs="$(run_wrk ogc.wfs_geojson.gateway "$gw?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&OUTPUTFORMAT=application/json" 8 "$ogc_secs")"; echo "$wfs"
fi
if part tiles; then
# Vector tiles: per layer and zoom, every tile over the subdistrict in order, pass after pass, on
# one connection. The bare SQL: the very statement the server runs, for the same tiles in the same
# order (pgbench over TCP like the server, prepared like the server's). gridgov: the same tiles
# from A (tile cache off) with curl (one kept-alive connection), timed by curl and, inside the
# server, by the answer's Server-Timing (app = routing to answer, db = the query); then warm from B
# (tile cache on). LAYER:ZOOM:PASSES. Ratios are of means, i.e. of the time to fetch every tile
# once (one zoom's tiles differ by 10× and more). curl's own floor (a request with no database
# work) is reported, since for sub-millisecond tiles it decides the HTTP ratio.
tile_specs="${BENCH_TILE_SPECS:-grids:13:300 grids:14:150 grids:15:50 grids:16:12 communities:12:800 communities:13:300 communities:14:150 incidents:13:2 incidents:15:2 incidents:16:2}"
extent="$(db_psql -d "$bench_db" -tAc "SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))
  FROM (SELECT ST_Extent(geom) AS e FROM jurisdiction WHERE kind = 'SUBDISTRICT') s")"
# shellcheck disable=SC2046  # one argument per tile spec
java -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.TileSql "$extent" $(for t in $tile_specs; do echo "${t%:*}"; done) > "$work/tile-sql.tsv"
mapfile -t passes < <(for t in $tile_specs; do echo "${t##*:}"; done)
pglog="$work/pgbench-tiles"   # pgbench runs as the cluster's user: its logs go to a folder it owns
# curl -K: one transfer per "url" line, all on one kept-alive connection; per transfer its total
# time (s) and the Server-Timing header.
curl_tiles() {   # base-url config-file → "http_mean_ms app_mean_ms db_mean_ms" (timings in ms)
  curl -s -K "$2" -w '%{time_total} %header{server-timing}\n' | awk '{
    t += $1; n++
    if (match($0, /app;dur=[0-9.]+/)) { a += substr($0, RSTART + 8, RLENGTH - 8); na++ }
    if (match($0, /db;dur=[0-9.]+/)) { d += substr($0, RSTART + 7, RLENGTH - 7); nd++ }
  } END { printf "%.3f %.3f %.3f %d\n", t / n * 1000, na ? a / na : 0, nd ? d / nd : 0, n }'
}
for _ in $(seq 1 300); do printf 'url = "http://127.0.0.1:%s/tiles/grids.json"\noutput = "/dev/null"\n' "$port"; done > "$work/floor.cfg"
curl_tiles x "$work/floor.cfg" >/dev/null   # warm-up: the JIT of the HTTP path
echo "tiles.curl_floor_mean_ms=$(curl_tiles x "$work/floor.cfg" | cut -d' ' -f1)"
for _ in $(seq 1 5); do curl -s -o /dev/null "http://127.0.0.1:$port/tiles/grids/15/[27330-27335]/[13495-13502].mvt"; done   # and of the tile path
spec=0
declare -A sql_of
# BENCH_TILE_ROUNDS (3) alternating rounds of SQL then gridgov, each over a share of the passes:
# the ratios printed are medians of the rounds' ratios (the machine's other load moves both sides
# of a round alike); the means are over all rounds.
tile_rounds="${BENCH_TILE_ROUNDS:-3}"
while IFS=$'\t' read -r layer z x0 x1 y0 y1 sql; do
  k="tiles.$layer.z$z"
  rows=$(( y1 - y0 + 1 )); ntiles=$(( (x1 - x0 + 1) * rows )); n=${passes[$spec]}; spec=$(( spec + 1 ))
  per=$(( (n + tile_rounds - 1) / tile_rounds )); requests=$(( ntiles * per * tile_rounds ))
  rm -rf "$pglog"; mkdir -p "$pglog"; [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$pglog"
  # :n counts this client's transactions (pgbench keeps variables between them): tile n mod N.
  printf '\\set t :n %% %d\n\\set n :n + 1\n\\set z %d\n\\set x %d + :t / %d\n\\set y %d + :t %% %d\n%s;\n' \
    "$ntiles" "$z" "$x0" "$rows" "$y0" "$rows" "$sql" > "$pglog/tile.sql"
  for p in "$port" "$fport"; do
    for _ in $(seq 1 "$per"); do for x in $(seq "$x0" "$x1"); do for y in $(seq "$y0" "$y1"); do
      printf 'url = "http://127.0.0.1:%s/tiles/%s/%s/%s/%s.mvt"\noutput = "/dev/null"\n' "$p" "$layer" "$z" "$x" "$y"
    done; done; done > "$work/tiles-$p.cfg"
  done
  : > "$work/tile-rounds.txt"
  for r in $(seq 1 "$tile_rounds"); do
    rm -f "$pglog"/pgb.*
    (cd "$pglog" && pg_run env PGPASSWORD="$(cat "$GRIDGOV_DB_PASSWORD_FILE")" "$GRIDGOV_PG_BIN/pgbench" -n -h 127.0.0.1 -p "$GRIDGOV_PG_PORT" \
        -U "$PG_APP_ROLE" -c 1 -t "$(( ntiles * per ))" -D n=0 -M prepared -l --log-prefix="$pglog/pgb" -f "$pglog/tile.sql" "$bench_db" > "$pglog/out.txt" 2>&1) \
      || { cat "$pglog/out.txt"; die "pgbench failed on the $layer z$z tile SQL"; }
    s_mean="$(cat "$pglog"/pgb.* | awk '{ s += $3; n++ } END { if (n) printf "%.3f", s / n / 1000 }')"
    echo "$s_mean $(curl_tiles x "$work/tiles-$port.cfg")" >> "$work/tile-rounds.txt"   # sql http app db got
  done
  curl -s -K "$work/tiles-$fport.cfg" -o /dev/null --max-time 600 || true   # fills B's cache
  read -r warm _ _ _ <<<"$(curl_tiles x "$work/tiles-$fport.cfg")"
  read -r sql_mean http app dbt got <<<"$(awk '{ for (i = 1; i <= 4; i++) m[i] += $i; g += $5 } END { printf "%.3f %.3f %.3f %.3f %d", m[1] / NR, m[2] / NR, m[3] / NR, m[4] / NR, g }' "$work/tile-rounds.txt")"
  round_ratios() { awk -v c="$1" '{ printf "%.2f\n", $c / $1 }' "$work/tile-rounds.txt"; }
  echo "$k.tiles=$ntiles"
  echo "$k.requests_each=$requests"
  echo "$k.rounds=$tile_rounds"
  echo "$k.sql_mean_ms=$sql_mean"
  sql_of[$k]="$sql_mean"
  echo "$k.http_mean_ms=$http"
  echo "$k.server_mean_ms=$app"
  echo "$k.server_db_mean_ms=$dbt"
  echo "$k.warm_http_mean_ms=$warm"
  [ "$got" = "$requests" ] || echo "$k.warning=only $got of $requests tiles answered"
  echo "$k.server_over_sql=$(round_ratios 3 | median) (rounds: $(round_ratios 3 | paste -sd' '))"
  echo "$k.http_over_sql=$(round_ratios 2 | median) (rounds: $(round_ratios 2 | paste -sd' '))"
  echo "$k.warm_over_sql=$(ratio "$warm" "$sql_mean")"
done < "$work/tile-sql.tsv"
# Warm tiles while incidents arrive (B, cache on): BENCH_TILE_TRAFFIC_RATE incidents a second are
# reported through the API while every grids z15 tile is fetched, pass after pass, then every
# incidents z16 tile. The tile cache drops only the layers whose tables changed, so grid tiles
# should keep coming from it; of the incident tiles, only those holding a new incident are rebuilt.
rate="${BENCH_TILE_TRAFFIC_RATE:-5}"
# The reports go round the grids of the plan in effect, one point in each (as spread as the grids are).
db_psql -d "$bench_db" -tAF' ' -c "SELECT ST_X(p), ST_Y(p) FROM grid g, LATERAL ST_PointOnSurface(g.geom) p WHERE g.plan_id IN (SELECT plans_in_effect()) ORDER BY g.id" > "$work/report-points.txt"
pcat="$(db_psql -d "$bench_db" -tAc "SELECT code FROM category ORDER BY code LIMIT 1")"
bench_token="$(curl -s -H 'Content-Type: application/json' -d '{"username":"operator","password":"'"$GRIDGOV_DEMO_PASSWORD"'"}' "http://127.0.0.1:$fport/api/v1/auth/token" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')"
( while :; do
    while read -r plon plat; do
      # hotline reports are entered by staff: with the operator's token
      curl -s -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $bench_token" "http://127.0.0.1:$fport/api/v1/incidents" \
        -d "{\"category\":\"$pcat\",\"channel\":\"HOTLINE\",\"location\":{\"lon\":$plon,\"lat\":$plat},\"description\":\"bench\"}"
      sleep "$(awk -v r="$rate" 'BEGIN { print 1 / r }')"
    done < "$work/report-points.txt"
  done ) &
reporter=$!
for spec in grids:15:20 incidents:15:1 incidents:16:1; do
  IFS=: read -r layer z n <<<"$spec"
  read -r _ _ x0 x1 y0 y1 _ < <(awk -F'\t' -v l="$layer" -v z="$z" '$1 == l && $2 == z' "$work/tile-sql.tsv")
  [ -n "${x0:-}" ] || continue
  # (a config's "header" applies to every transfer after it, and adds up: once, first)
  { printf 'header = "Authorization: Bearer %s"\n' "$bench_token"
    for _ in $(seq 1 "$n"); do for x in $(seq "$x0" "$x1"); do for y in $(seq "$y0" "$y1"); do
      printf 'url = "http://127.0.0.1:%s/tiles/%s/%s/%s/%s.mvt"\noutput = "/dev/null"\n' "$fport" "$layer" "$z" "$x" "$y"
    done; done; done; } > "$work/traffic.cfg"
  curl -s -K "$work/traffic.cfg" -o /dev/null || true   # fill the cache first
  curl -s -K "$work/traffic.cfg" -w '%{time_total} %{http_code} %header{x-cache}\n' | awk -v k="tiles.under_incidents.$layer.z$z" -v r="$rate" '
    { t += $1; n++; if ($3 == "HIT") h++; if ($2 != 200) { e++; if (!seen[$2]++) print "tiles.under_incidents.status_" $2 "=seen" } }
    END { printf "%s.incidents_per_s=%s\n%s.requests=%d\n%s.errors=%d\n%s.hit_ratio=%.2f\n%s.http_mean_ms=%.3f\n", k, r, k, n, k, e, k, h / n, k, t / n * 1000 }' | tee "$work/traffic.out"
  mean="$(sed -n 's/.*\.http_mean_ms=//p' "$work/traffic.out")"
  echo "tiles.under_incidents.$layer.z$z.http_over_sql=$(ratio "$mean" "${sql_of[tiles.$layer.z$z]:-}")"
done
kill "$reporter" 2>/dev/null || true; wait "$reporter" 2>/dev/null || true
fi
if part coldtiles; then
# Cold incident tiles, zoom 12 to 17: the in-memory path (server A: tile cache off, zooms up to 15
# from the in-memory points) against the SQL path (server C, started here: tile cache off too and
# GRIDGOV_TILE_MEMORY_MAX_ZOOM=-1, every zoom through ST_AsMVT as before). Per zoom, every incident
# tile over the subdistrict, pass after pass until each side has BENCH_COLD_SAMPLES (60) requests,
# in BENCH_COLD_ROUNDS (2) alternating rounds on one kept-alive curl connection each. p95 of curl's
# time per request; the ratio is memory ÷ SQL. Targets: every zoom ≤ 50 ms, z13 ≤ 0.1× the SQL.
cport=$(( port + 3 ))
GRIDGOV_MAPSERVER_DIR="$work/mapserver-c" GRIDGOV_MAPSERVER_WORKERS=1 GRIDGOV_PORT=$cport GRIDGOV_HOST=127.0.0.1 \
  GRIDGOV_TILE_CACHE_MB=0 GRIDGOV_TILE_MEMORY_MAX_ZOOM=-1 java -Xmx2g -jar "$GRIDGOV_JAR" serve > "$work/server-c.log" 2>&1 &
c_server=$!
trap 'stop_bench_server; pkill -P $ms_twin mapserv; kill $b_server $ms_twin $c_server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$cport/health" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$cport/health" >/dev/null || { tail -20 "$work/server-c.log"; die "bench server C did not start"; }
cold_extent="$(db_psql -d "$bench_db" -tAc "SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))
  FROM (SELECT ST_Extent(geom) AS e FROM jurisdiction WHERE kind = 'SUBDISTRICT') s")"
java -cp "$GRIDGOV_BENCH_JAR" org.gridgov.bench.TileSql "$cold_extent" incidents:12 incidents:13 incidents:14 \
  incidents:15 incidents:16 incidents:17 > "$work/cold-tiles.tsv"
cold_samples="${BENCH_COLD_SAMPLES:-60}"; cold_rounds="${BENCH_COLD_ROUNDS:-2}"
p95() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else { i = int(NR * 0.95 + 0.999999); print v[i < 1 ? 1 : i] } }'; }
# a warm-up of both servers' tile paths (the JIT, the reactive client's connections)
for p in "$port" "$cport"; do curl -s -o /dev/null "http://127.0.0.1:$p/tiles/incidents/15/[27330-27333]/[13495-13498].mvt"; done
while IFS=$'\t' read -r layer z x0 x1 y0 y1 _; do
  k="tiles.cold.$layer.z$z"
  ntiles=$(( (x1 - x0 + 1) * (y1 - y0 + 1) ))
  per=$(( (cold_samples + ntiles * cold_rounds - 1) / (ntiles * cold_rounds) ))
  for p in "$port" "$cport"; do
    for _ in $(seq 1 "$per"); do for x in $(seq "$x0" "$x1"); do for y in $(seq "$y0" "$y1"); do
      printf 'url = "http://127.0.0.1:%s/tiles/%s/%s/%s/%s.mvt"\noutput = "/dev/null"\n' "$p" "$layer" "$z" "$x" "$y"
    done; done; done > "$work/cold-$p.cfg"
  done
  : > "$work/cold-mem.txt"; : > "$work/cold-sql.txt"
  for r in $(seq 1 "$cold_rounds"); do
    for side in mem sql; do   # alternating which goes first
      [ $(( r % 2 )) = 0 ] && side=$([ "$side" = mem ] && echo sql || echo mem)
      p=$([ "$side" = mem ] && echo "$port" || echo "$cport")
      curl -s -K "$work/cold-$p.cfg" -w '%{time_total} %{http_code} %header{server-timing}\n' >> "$work/cold-$side.txt"
    done
  done
  for side in mem sql; do
    echo "$k.${side}_requests=$(wc -l < "$work/cold-$side.txt")"
    bad="$(awk '$2 != 200' "$work/cold-$side.txt" | wc -l)"; [ "$bad" = 0 ] || echo "$k.${side}_errors=$bad"
    echo "$k.${side}_p95_ms=$(awk '{ printf "%.3f\n", $1 * 1000 }' "$work/cold-$side.txt" | p95)"
    echo "$k.${side}_p50_ms=$(awk '{ printf "%.3f\n", $1 * 1000 }' "$work/cold-$side.txt" | median)"
    # inside the server: routing to answer (Server-Timing app)
    echo "$k.${side}_server_p95_ms=$(sed -n 's/.*app;dur=\([0-9.]*\).*/\1/p' "$work/cold-$side.txt" | p95)"
  done | tee "$work/cold-z.txt"
  mem95="$(sed -n "s/^$k.mem_p95_ms=//p" "$work/cold-z.txt")"; sql95="$(sed -n "s/^$k.sql_p95_ms=//p" "$work/cold-z.txt")"
  echo "$k.tiles=$ntiles"
  echo "$k.path=$(grep -q 'mem;dur' "$work/cold-mem.txt" && echo memory || echo sql)"
  echo "$k.mem_over_sql_p95=$(ratio "$mem95" "$sql95")"
  target_ratio=$([ "$z" = 13 ] && echo 0.1 || echo "")
  echo "$k.target_met=$(awk -v m="$mem95" -v s="$sql95" -v t="$target_ratio" 'BEGIN { ok = m <= 50; if (t != "" && s > 0) ok = ok && m / s <= t; print ok ? "yes" : "no" }')"
done < "$work/cold-tiles.tsv"
kill "$c_server" 2>/dev/null || true; wait "$c_server" 2>/dev/null || true   # it stops its lighttpd
fi
if part features; then
# OGC API Features paging (docs/ogc.md): a roads page of 10 at offsets 0 / 9,000 / 18,000, asked
# by offset and by the keyset cursor the next links carry (after = the id just before that
# position); then the whole roads layer copied by ogr2ogr over OAPIF (GDAL 3.6 pages by 10, and at
# larger page sizes) against the same copy over WFS, in this run, as ratios.
items="http://127.0.0.1:$port/ogc/collections/roads/items"
nroads="$(db_psql -d "$bench_db" -tAc "SELECT count(*) FROM road_edge")"
echo "oapif.roads=$nroads"
run_wrk warm "$items?limit=10&offset=9000" 2 3 >/dev/null
for off in ${BENCH_OAPIF_OFFSETS:-0 9000 18000}; do
  [ "$off" -lt "$nroads" ] || { echo "oapif.page10.offset$off.skipped=only $nroads roads"; continue; }
  run_wrk "oapif.page10.offset$off.by_offset" "$items?limit=10&offset=$off" 2 "$ogc_secs"
  if [ "$off" = 0 ]; then cursor="$items?limit=10"
  else cursor="$items?limit=10&after=$(db_psql -d "$bench_db" -tAc "SELECT id FROM road_edge ORDER BY id OFFSET $(( off - 1 )) LIMIT 1")"; fi
  run_wrk "oapif.page10.offset$off.by_cursor" "$cursor" 2 "$ogc_secs"
done
copy() {   # key source layer [ogr2ogr options...] → key.seconds, key.features
  local key="$1" src="$2" layer="$3" t0 t1; shift 3
  rm -f "$work/copy.gpkg"
  t0=$(date +%s%N)
  ogr2ogr -f GPKG "$work/copy.gpkg" "$src" "$layer" "$@" > "$work/copy.log" 2>&1 || { tail -5 "$work/copy.log"; echo "$key.failed=ogr2ogr"; return 0; }
  t1=$(date +%s%N)
  awk -v k="$key" -v ns=$(( t1 - t0 )) 'BEGIN { printf "%s.seconds=%.2f\n", k, ns / 1e9 }'
  echo "$key.features=$(ogrinfo -ro -so "$work/copy.gpkg" "$layer" | sed -n 's/^Feature Count: //p')"
}
copy oapif.copy_roads.wfs "WFS:http://127.0.0.1:$port/ows?VERSION=2.0.0" gridgov:roads | tee "$work/copy-wfs.txt"
wfs_s="$(sed -n 's/.*\.seconds=//p' "$work/copy-wfs.txt")"
for ps in ${BENCH_OAPIF_PAGE_SIZES:-default 100 1000 10000}; do
  if [ "$ps" = default ]; then opts=(); else opts=(-oo "PAGE_SIZE=$ps"); fi
  copy "oapif.copy_roads.oapif_page_$ps" "OAPIF:http://127.0.0.1:$port/ogc" roads "${opts[@]}" | tee "$work/copy-oapif.txt"
  echo "oapif.copy_roads.oapif_page_${ps}_over_wfs=$(ratio "$(sed -n 's/.*\.seconds=//p' "$work/copy-oapif.txt")" "$wfs_s")"
done
fi
# the twin's FastCGI workers are its children: they would outlive it holding connections
pkill -P "$ms_twin" mapserv 2>/dev/null || true
kill $b_server $ms_twin 2>/dev/null || true; wait $b_server $ms_twin 2>/dev/null || true
stop_bench_server
trap stop_bench_server EXIT
unset GRIDGOV_MAPSERVER_DIR GRIDGOV_MAPSERVER_WORKERS GRIDGOV_TILE_CACHE_MB GRIDGOV_OGC_PUBLIC_LAYERS
